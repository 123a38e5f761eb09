import { describe, expect, it } from 'vitest';
import { AdapterHarness, adapterHarnesses, stepData } from './adapter-harness.js';

const { start, track } = adapterHarnesses();

describe('procvision-adapter protocol', () => {
  it('sends hello first, before loading the algorithm, and answers info after the handshake', async () => {
    const harness = await start();
    const info = await harness.call({ phase: 'info' });
    expect(info).toMatchObject({ type: 'result', status: 'OK', data: { name: 'scripted', version: '1.0.0', supported_pids: ['A01', 'hooks-throw'] } });
    expect(info.data.steps).toHaveLength(2);
    expect(typeof info.latency_ms).toBe('number');
    expect(typeof info.timestamp_ms).toBe('number');
  });

  it('hello carries protocol, sdk_version and capabilities', async () => {
    const harness = new AdapterHarness((await import('./adapter-harness.js')).fixtureRoot('scripted'));
    track(harness);
    const hello = await harness.next();
    expect(hello).toMatchObject({
      type: 'hello',
      protocol: 1,
      capabilities: expect.arrayContaining(['ping', 'call', 'shutdown', 'reset', 'info', 'shared_memory:v1']),
    });
    expect(typeof hello.sdk_version).toBe('string');
  });

  it('runs pre and execute with OK, NG and ERROR results, adding phase and step_index to data', async () => {
    const harness = await start();
    const pre = await harness.call(stepData('pre', 1));
    expect(pre).toMatchObject({
      status: 'OK',
      message: 'pre 1',
      data: { phase: 'pre', step_index: 1, calibration_rects: [{ x: 1, y: 2, width: 3, height: 4 }] },
    });
    const ok = await harness.call(stepData('execute', 1, { behaviour: 'ok' }));
    expect(ok).toMatchObject({ status: 'OK', message: 'fine', data: { result_status: 'OK', phase: 'execute', step_index: 1 } });
    const ng = await harness.call(stepData('execute', 2, { behaviour: 'ng' }));
    expect(ng).toMatchObject({
      status: 'OK',
      data: { result_status: 'NG', ng_reason: 'screw missing', defect_rects: [{ x: 5, y: 6, width: 7, height: 8, score: 0.9 }] },
    });
    const error = await harness.call(stepData('execute', 1, { behaviour: 'error' }));
    expect(error).toMatchObject({
      type: 'result',
      status: 'ERROR',
      message: 'camera frame unusable',
      error_code: '1002',
      data: { phase: 'execute', step_index: 1 },
    });
    const preError = await harness.call(stepData('pre', 1, { behaviour: 'error' }));
    expect(preError).toMatchObject({ status: 'ERROR', message: 'lamp too dark', error_code: '1002' });
  });

  it.each([['main'], ['worker']])('hands the algorithm a Session of the @procvision/sdk it imports (%s thread)', async (thread) => {
    const harness = await AdapterHarness.started('scripted', { args: ['--algorithm-thread', thread] });
    track(harness);
    expect(await harness.call(stepData('execute', 1, { behaviour: 'session-class' }))).toMatchObject({ status: 'OK', data: { sdk_session: true } });
  });

  it('carries session state out of step 1 and into step 2 through the runner', async () => {
    const harness = await start();
    const first = await harness.call(stepData('execute', 1));
    expect(first.session_state).toEqual({ step1_mark: { by: 'step 1', at: 42 }, finished_1: 'OK' });
    expect(first.data.seen).toBeNull();
    const second = await harness.call(stepData('execute', 2, {}, { state: first.session_state }));
    expect(second.data.seen).toEqual({ by: 'step 1', at: 42 });
    expect(second.data.context).toEqual({ product_code: 'A01', trace_id: 't-1' });
    expect(second.session_state).toMatchObject({ step1_mark: { by: 'step 1', at: 42 }, finished_1: 'OK', finished_2: 'OK' });
  });

  it('accepts the older flat call form', async () => {
    const harness = await start();
    harness.send({ type: 'call', request_id: 'flat-1', ...stepData('execute', 1, { behaviour: 'ng' }) });
    const result = await harness.next((frame) => frame.request_id === 'flat-1');
    expect(result).toMatchObject({ status: 'OK', data: { result_status: 'NG', phase: 'execute' } });
  });

  it('runs reset with the session and answers OK', async () => {
    const harness = await start();
    const result = await harness.call({ phase: 'reset', session: { id: 'sid-9', context: {}, state: { a: 1 } } });
    expect(result).toMatchObject({ status: 'OK', data: { phase: 'reset' }, session_state: { a: 1 } });
    expect(harness.stderr).toContain('"session":"sid-9"');
  });

  it('answers ping with pong before and after the algorithm loaded', async () => {
    const harness = new AdapterHarness((await import('./adapter-harness.js')).fixtureRoot('scripted'));
    track(harness);
    await harness.next((frame) => frame.type === 'hello');
    harness.send({ type: 'ping', request_id: 'p-0' });
    expect(await harness.next((frame) => frame.request_id === 'p-0')).toMatchObject({ type: 'pong', status: 'OK' });
    harness.send({ type: 'hello', protocol: 1, runner_version: 'test', heartbeat_interval_ms: 5000, heartbeat_grace_ms: 2000 });
    await harness.call({ phase: 'info' });
    harness.send({ type: 'ping', request_id: 'p-1' });
    expect(await harness.next((frame) => frame.request_id === 'p-1')).toMatchObject({ type: 'pong', status: 'OK' });
  });

  it('answers an unknown message type with an error frame and keeps running', async () => {
    const harness = await start();
    harness.send({ type: 'teleport', request_id: 'u-1' });
    const error = await harness.next((frame) => frame.request_id === 'u-1');
    expect(error).toMatchObject({ type: 'error', status: 'ERROR', error_code: '9999' });
    expect(error.message).toContain('unknown message type "teleport"');
    expect(await harness.call({ phase: 'info' })).toMatchObject({ status: 'OK' });
  });

  it('refuses a call with invalid data with an error frame (1006) naming the field', async () => {
    const harness = await start();
    const data = stepData('execute', 1);
    delete data.image_meta;
    const error = await harness.call(data);
    expect(error).toMatchObject({ type: 'error', error_code: '1006' });
    expect(error.message).toContain('image_meta');
  });

  it('with the algorithm on the main thread, answers a call sent during another after it, once each, in order', async () => {
    const harness = await start();
    await harness.call({ phase: 'info' });
    const slow = harness.sendCall(stepData('execute', 1, { behaviour: 'sleep', duration_ms: 300 }));
    const second = harness.sendCall(stepData('execute', 1));
    expect(await harness.next((frame) => frame.request_id === slow)).toMatchObject({ type: 'result', status: 'OK' });
    expect(await harness.next((frame) => frame.request_id === second)).toMatchObject({ type: 'result', status: 'OK' });
    expect(await harness.call(stepData('execute', 1))).toMatchObject({ status: 'OK' });
    // next() consumed one answer each; no second answer to either is left.
    expect(harness.frames.filter((frame) => frame.request_id === slow || frame.request_id === second)).toHaveLength(0);
  });

  it('with --algorithm-thread worker, answers a second concurrent call with busy, then serves the next one', async () => {
    const harness = await start('scripted', { args: ['--algorithm-thread', 'worker'] });
    await harness.call({ phase: 'info' });
    const slow = harness.sendCall(stepData('execute', 1, { behaviour: 'sleep', duration_ms: 400 }));
    const second = await harness.call(stepData('execute', 1));
    expect(second).toMatchObject({ type: 'error', status: 'ERROR', message: 'busy' });
    expect(await harness.next((frame) => frame.request_id === slow)).toMatchObject({ status: 'OK' });
    expect(await harness.call(stepData('execute', 1))).toMatchObject({ status: 'OK' });
  });

  it('makes calls sent before setup finished wait for it', async () => {
    const harness = new AdapterHarness((await import('./adapter-harness.js')).fixtureRoot('scripted'));
    track(harness);
    harness.send({ type: 'hello', protocol: 1, runner_version: 'test', heartbeat_interval_ms: 5000, heartbeat_grace_ms: 2000 });
    const result = await harness.call({ phase: 'info' });
    expect(result).toMatchObject({ status: 'OK', data: { name: 'scripted' } });
  });

  it('on shutdown runs teardown, acknowledges and exits 0', async () => {
    const harness = await start();
    await harness.call({ phase: 'info' });
    harness.send({ type: 'shutdown' });
    expect(await harness.next((frame) => frame.type === 'shutdown')).toMatchObject({ status: 'OK' });
    expect(await harness.exit()).toEqual({ code: 0, signal: null });
    expect(harness.stderr).toContain('teardown ran');
  });

  it('waits for the running call before tearing down on shutdown', async () => {
    const harness = await start();
    await harness.call({ phase: 'info' });
    const slow = harness.sendCall(stepData('execute', 1, { behaviour: 'sleep', duration_ms: 300 }));
    harness.send({ type: 'shutdown' });
    expect(await harness.next((frame) => frame.request_id === slow)).toMatchObject({ status: 'OK' });
    expect(await harness.next((frame) => frame.type === 'shutdown')).toMatchObject({ status: 'OK' });
    expect((await harness.exit()).code).toBe(0);
  });

  it('treats stdin EOF as shutdown', async () => {
    const harness = await start();
    await harness.call({ phase: 'info' });
    harness.child.stdin.end();
    expect((await harness.exit()).code).toBe(0);
    expect(harness.stderr).toContain('teardown ran');
  });

  it('reports a broken frame stream as an error frame (1005) and exits non-zero', async () => {
    const harness = await start();
    await harness.call({ phase: 'info' });
    harness.sendBytes(Buffer.from([0, 0, 0, 3, 0x7b, 0x7b, 0x7b]));
    const error = await harness.next((frame) => frame.type === 'error');
    expect(error).toMatchObject({ request_id: null, error_code: '1005' });
    expect((await harness.exit()).code).not.toBe(0);
  });
});
