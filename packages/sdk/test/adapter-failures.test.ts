import { describe, expect, it } from 'vitest';
import { AdapterHarness, adapterHarnesses, fixtureRoot, stepData } from './adapter-harness.js';

const { start, track } = adapterHarnesses();

describe('procvision-adapter: algorithm failures become ERROR results', () => {
  it('turns a thrown plain error into 9999 and keeps serving', async () => {
    const harness = await start();
    const result = await harness.call(stepData('execute', 1, { behaviour: 'throw' }));
    expect(result).toMatchObject({ type: 'result', status: 'ERROR', error_code: '9999', message: 'Error: boom', data: { phase: 'execute', step_index: 1 } });
    expect(await harness.call(stepData('execute', 1))).toMatchObject({ status: 'OK' });
  });

  it('keeps the code and kind of typed SDK errors', async () => {
    const harness = await start();
    expect(await harness.call(stepData('execute', 1, { behaviour: 'throw-gpu' }))).toMatchObject({
      status: 'ERROR',
      error_code: '1004',
      message: 'no VRAM left',
    });
    const recoverable = await harness.call(stepData('execute', 1, { behaviour: 'throw-recoverable' }));
    expect(recoverable).toMatchObject({ status: 'ERROR', error_code: '9999', error_kind: 'recoverable' });
    const fatal = await harness.call(stepData('execute', 1, { behaviour: 'throw-fatal' }));
    expect(fatal).toMatchObject({ status: 'ERROR', error_code: '9999', error_kind: 'fatal', message: 'model corrupt' });
  });

  it('turns a malformed execute result into an ERROR saying what was wrong', async () => {
    const harness = await start();
    const result = await harness.call(stepData('execute', 1, { behaviour: 'invalid' }));
    expect(result).toMatchObject({ status: 'ERROR', error_code: '9999' });
    expect(result.message).toContain('execute() returned an invalid result');
    expect(result.message).toContain('status');
  });

  it('turns a pre_execute result carrying a verdict into an ERROR', async () => {
    const harness = await start();
    const result = await harness.call(stepData('pre', 1, { behaviour: 'invalid' }));
    expect(result).toMatchObject({ status: 'ERROR', error_code: '9999' });
    expect(result.message).toContain('result_status');
  });

  it('truncates more than 20 defect rects with a warning on stderr', async () => {
    const harness = await start();
    const result = await harness.call(stepData('execute', 1, { behaviour: 'many-defects' }));
    expect(result).toMatchObject({ status: 'OK', data: { result_status: 'NG' } });
    expect(result.data.defect_rects).toHaveLength(20);
    expect(harness.stderr).toContain('25 rects returned, kept the first 20');
  });

  it('turns a result above max_frame_bytes into an ERROR result instead of a broken frame', async () => {
    const harness = await start();
    const result = await harness.call(stepData('execute', 1, { behaviour: 'huge' }));
    expect(result).toMatchObject({ type: 'result', status: 'ERROR', error_code: '9999', data: { phase: 'execute', step_index: 1 } });
    expect(result.message).toContain('max_frame_bytes');
    expect(await harness.call(stepData('execute', 1))).toMatchObject({ status: 'OK' });
  });

  it('rejects a non-JSON session value with a TypeError naming the key', async () => {
    const harness = await start();
    const result = await harness.call(stepData('execute', 1, { behaviour: 'bad-session' }));
    expect(result).toMatchObject({ status: 'ERROR', error_code: '9999' });
    expect(result.message).toContain('TypeError');
    expect(result.message).toContain('"callback"');
  });

  it('validates user params (1006) and pid (1001) before the algorithm sees them', async () => {
    const harness = await start();
    const badParam = await harness.call(stepData('execute', 1, { behaviour: 'dance' }));
    expect(badParam).toMatchObject({ type: 'result', status: 'ERROR', error_code: '1006' });
    expect(badParam.message).toContain('user_params.behaviour');
    const badPid = await harness.call({ ...stepData('execute', 1), pid: 'Z99' });
    expect(badPid).toMatchObject({ status: 'ERROR', error_code: '1001' });
    const badStep = await harness.call(stepData('execute', 3));
    expect(badStep).toMatchObject({ status: 'ERROR', error_code: '1006' });
  });

  it('turns a throwing onStepStart into an ERROR result without running the step', async () => {
    const harness = await start();
    const result = await harness.call({ ...stepData('execute', 1), pid: 'hooks-throw' });
    expect(result).toMatchObject({ status: 'ERROR', error_code: '9999', message: 'onStepStart hook failed: Error: onStepStart exploded' });
    expect(result.session_state).toEqual({});
  });

  it('turns a throwing onStepFinish into an ERROR result, keeping the typed kind', async () => {
    const harness = await start();
    const result = await harness.call(stepData('execute', 2, {}, { context: { pid_hint: 'hooks-throw' } }));
    expect(result).toMatchObject({ status: 'ERROR', error_kind: 'recoverable', message: 'onStepFinish hook failed: onStepFinish exploded' });
  });
});

describe('procvision-adapter: a crashing algorithm', () => {
  it.each([['main'], ['worker']])('answers the running call with an error frame and exits non-zero when the algorithm crashes (%s thread)', async (thread) => {
    const harness = await start('scripted', { args: ['--algorithm-thread', thread] });
    const requestId = harness.sendCall(stepData('execute', 1, { behaviour: 'crash' }));
    const error = await harness.next((frame) => frame.request_id === requestId);
    expect(error).toMatchObject({ type: 'error', status: 'ERROR', error_code: '9999' });
    expect(error.message).toContain('uncaught in a timer');
    expect((await harness.exit()).code).toBe(1);
  });
});

describe('procvision-adapter: load failures', () => {
  it('reports a missing entry export as an error frame (1003) and exits non-zero', async () => {
    const harness = await start('missing-export');
    const error = await harness.next((frame) => frame.type === 'error');
    expect(error).toMatchObject({ request_id: null, status: 'ERROR', error_code: '1003' });
    expect(error.message).toContain('no export named "NotThere"');
    expect(error.message).toContain('SomethingElse');
    expect((await harness.exit()).code).not.toBe(0);
  });

  it('answers a call waiting on a failed load with the load error', async () => {
    const harness = new AdapterHarness(fixtureRoot('missing-export'));
    track(harness);
    harness.send({ type: 'hello', protocol: 1, runner_version: 'test', heartbeat_interval_ms: 5000, heartbeat_grace_ms: 2000 });
    const requestId = harness.sendCall({ phase: 'info' });
    expect(await harness.next((frame) => frame.request_id === requestId)).toMatchObject({ type: 'error', error_code: '1003' });
    expect((await harness.exit()).code).not.toBe(0);
  });

  it('reports a missing entry module as 1003', async () => {
    const harness = await start('scripted', { args: ['--entry', 'dist/nowhere.js:Nothing'] });
    const error = await harness.next((frame) => frame.type === 'error');
    expect(error).toMatchObject({ error_code: '1003' });
    expect(error.message).toContain('dist/nowhere.js');
    expect((await harness.exit()).code).not.toBe(0);
  });

  it('reports a failing setup with the code of its typed error', async () => {
    const harness = await start('setup-fails');
    const error = await harness.next((frame) => frame.type === 'error');
    expect(error).toMatchObject({ error_code: '1003' });
    expect(error.message).toContain('setup() failed');
    expect((await harness.exit()).code).not.toBe(0);
  });

  it('finds the entry from PROC_ENTRY_POINT and the root from PROC_ALGO_ROOT', async () => {
    const harness = new AdapterHarness(fixtureRoot('missing-export'), {
      env: { PROC_ALGO_ROOT: fixtureRoot('missing-export'), PROC_ENTRY_POINT: 'main.js:SomethingElse' },
    });
    track(harness);
    await harness.next((frame) => frame.type === 'hello');
    harness.send({ type: 'hello', protocol: 1, runner_version: 'test', heartbeat_interval_ms: 5000, heartbeat_grace_ms: 2000 });
    expect(await harness.call({ phase: 'info' })).toMatchObject({ status: 'OK', data: { name: 'missing-export' } });
  });
});
