import { describe, expect, it } from 'vitest';
import { AdapterHarness, adapterHarnesses, fixtureRoot, stepData } from './adapter-harness.js';

const { start, track } = adapterHarnesses();
const handshake = { type: 'hello', protocol: 1, runner_version: 'test', heartbeat_interval_ms: 5000, heartbeat_grace_ms: 2000 };

describe('procvision-adapter with the algorithm on the main thread (the default)', () => {
  it('does not announce ping_while_busy, so the runner holds it to the call timeout during a call', async () => {
    const harness = new AdapterHarness(fixtureRoot('scripted'));
    track(harness);
    const hello = await harness.next((frame) => frame.type === 'hello');
    expect(hello.capabilities).toEqual(['ping', 'call', 'shutdown', 'reset', 'info', 'shared_memory:v1']);
  });

  it('answers a ping sent during a synchronous call right after the call, the result first', async () => {
    const harness = await start();
    await harness.call({ phase: 'info' });
    const spin = harness.sendCall(stepData('execute', 1, { behaviour: 'spin', duration_ms: 400 }));
    harness.send({ type: 'ping', request_id: 'during' });
    const first = await harness.next((frame) => frame.request_id === spin || frame.request_id === 'during', 10_000);
    expect(first).toMatchObject({ request_id: spin, status: 'OK', data: { spins: true } });
    expect(await harness.next((frame) => frame.request_id === 'during')).toMatchObject({ type: 'pong' });
  });

  it('keeps an algorithm timer running between calls (no blocking read starves it) and answers pings meanwhile', async () => {
    const harness = await start('background-timer');
    const first = await harness.call(stepData('execute', 1));
    expect(first).toMatchObject({ status: 'OK' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    harness.send({ type: 'ping', request_id: 'idle' });
    expect(await harness.next((frame) => frame.request_id === 'idle')).toMatchObject({ type: 'pong' });
    const second = await harness.call(stepData('execute', 1));
    expect(second.data.ticks).toBeGreaterThan(first.data.ticks + 5);
    harness.send({ type: 'shutdown' });
    expect(await harness.next((frame) => frame.type === 'shutdown')).toMatchObject({ status: 'OK' });
    expect((await harness.exit()).code).toBe(0);
    expect(harness.stderr).toContain('reading stdin through the event loop from now on: the algorithm keeps work in the event loop');
  });

  it('stays on the blocking read after the info reply of an algorithm with params (the background schema load is its own)', async () => {
    const harness = await start();
    await harness.call({ phase: 'info' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (let pair = 0; pair < 5; pair += 1) {
      const ids = [harness.sendCall(stepData('execute', 1)), harness.sendCall(stepData('execute', 1))];
      for (const id of ids) expect(await harness.next((frame) => frame.request_id === id)).toMatchObject({ type: 'result', status: 'OK' });
    }
    harness.send({ type: 'shutdown' });
    await harness.next((frame) => frame.type === 'shutdown');
    expect((await harness.exit()).code).toBe(0);
    expect(harness.stderr).not.toContain('reading stdin through the event loop');
  });

  it('answers the running call with an error frame when algorithm code calls process.exit()', async () => {
    const harness = await start('background-timer', { args: ['--exit-in-execute'] });
    const requestId = harness.sendCall(stepData('execute', 1));
    const error = await harness.next((frame) => frame.request_id === requestId);
    expect(error).toMatchObject({ type: 'error', status: 'ERROR', error_code: '9999' });
    expect(error.message).toContain('exited with code 3');
    expect((await harness.exit()).code).toBe(3);
  });

  it('serves 500 back-to-back calls with exactly one answer each, in order', async () => {
    const harness = await start();
    const ids: string[] = [];
    for (let index = 0; index < 500; index += 1) ids.push(harness.sendCall(stepData('execute', 1, {}, { state: { n: index } })));
    const last = await harness.next((frame) => frame.request_id === ids[ids.length - 1], 30_000);
    expect(last).toMatchObject({ status: 'OK', session_state: { n: 499 } });
    const answers = harness.frames.filter((frame) => frame.type === 'result').map((frame) => frame.request_id);
    expect([...answers, last.request_id]).toEqual(ids);
  });

  it('refuses an unknown --algorithm-thread value with an error frame naming it', async () => {
    const harness = new AdapterHarness(fixtureRoot('scripted'), { args: ['--algorithm-thread', 'gpu'] });
    track(harness);
    await harness.next((frame) => frame.type === 'hello');
    harness.send(handshake);
    const error = await harness.next((frame) => frame.type === 'error');
    expect(error.message).toContain('--algorithm-thread must be "main" or "worker", got "gpu"');
    expect((await harness.exit()).code).toBe(1);
  });

  it('takes the thread from PROC_ALGORITHM_THREAD when no flag is given', async () => {
    const harness = new AdapterHarness(fixtureRoot('scripted'), { env: { PROC_ALGORITHM_THREAD: 'worker' } });
    track(harness);
    expect(await harness.next((frame) => frame.type === 'hello')).toMatchObject({ capabilities: expect.arrayContaining(['ping_while_busy']) });
  });
});
