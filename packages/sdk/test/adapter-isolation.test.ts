import { describe, expect, it } from 'vitest';
import { AdapterHarness, adapterHarnesses, fixtureRoot, stepData } from './adapter-harness.js';

const { track } = adapterHarnesses();

describe('procvision-adapter --algorithm-thread worker: the algorithm runs off the protocol thread', () => {
  // What the worker thread promises is that a ping never waits for execute: every pong of a ping
  // sent during the 3-second loop arrives before the loop's result. That holds on a loaded
  // machine too; a blocked protocol thread fails it by seconds. The 100 ms figure is checked on
  // the quickest pong (a scheduler under load may delay any single one).
  it('announces ping_while_busy and answers pings before a 3-second synchronous execute ends, the quickest within 100 ms', async () => {
    const harness = new AdapterHarness(fixtureRoot('scripted'), { args: ['--algorithm-thread', 'worker'] });
    track(harness);
    expect(await harness.next((frame) => frame.type === 'hello')).toMatchObject({ capabilities: expect.arrayContaining(['ping_while_busy']) });
    harness.send({ type: 'hello', protocol: 1, runner_version: 'test', heartbeat_interval_ms: 5000, heartbeat_grace_ms: 2000 });
    await harness.call({ phase: 'info' });
    const started = Date.now();
    const spin = harness.sendCall(stepData('execute', 1, { behaviour: 'spin', duration_ms: 3000 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const resultReceived = () => harness.frames.some((frame) => frame.request_id === spin);
    const pongs: Array<{ delayMs: number; beforeResult: boolean }> = [];
    // Pings only while the loop is still running (well inside its 3 s on a loaded machine too).
    for (let index = 0; index < 5 && Date.now() - started < 2000; index += 1) {
      const sent = performance.now();
      harness.send({ type: 'ping', request_id: `hb-${index}` });
      await harness.next((frame) => frame.request_id === `hb-${index}`, 5000);
      pongs.push({ delayMs: performance.now() - sent, beforeResult: !resultReceived() });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const result = await harness.next((frame) => frame.request_id === spin, 10_000);
    expect(result).toMatchObject({ status: 'OK', data: { result_status: 'OK', spins: true } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    expect(pongs.length).toBeGreaterThan(0);
    expect(pongs.filter((pong) => !pong.beforeResult)).toEqual([]);
    expect(Math.min(...pongs.map((pong) => pong.delayMs))).toBeLessThan(100);
  });

  it.each([['main'], ['worker']])('keeps console.log and process.stdout.write of algorithm code off the frame stream (%s thread)', async (thread) => {
    const harness = await AdapterHarness.started('scripted', { args: ['--algorithm-thread', thread] });
    track(harness);
    for (let index = 0; index < 3; index += 1) {
      expect(await harness.call(stepData('execute', 1, { behaviour: 'log' }))).toMatchObject({ status: 'OK' });
    }
    harness.send({ type: 'shutdown' });
    await harness.next((frame) => frame.type === 'shutdown');
    expect((await harness.exit()).code).toBe(0);
    expect(harness.decodeError).toBeUndefined();
    expect(harness.stderr).toContain('noise from module load on console.log');
    expect(harness.stderr).toContain('noise from module load on process.stdout.write');
    expect(harness.stderr).toContain('console.log from execute');
    expect(harness.stderr).toContain('process.stdout.write from execute');
    const structured = harness.stderr
      .split('\n')
      .filter((line) => line.includes('structured log'))
      .map((line) => JSON.parse(line));
    expect(structured[0]).toMatchObject({ level: 'info', message: 'structured log', step: 1, algorithm: 'ScriptedAlgorithm' });
    expect(typeof structured[0].timestamp_ms).toBe('number');
  });

  it('keeps a 1 MB result whole while pongs are written from the other thread', async () => {
    const harness = await AdapterHarness.started('scripted', { args: ['--algorithm-thread', 'worker'] });
    track(harness);
    await harness.call({ phase: 'info' });
    const big = harness.sendCall(stepData('execute', 1, { behaviour: 'big' }));
    for (let index = 0; index < 20; index += 1) harness.send({ type: 'ping', request_id: `bp-${index}` });
    const result = await harness.next((frame) => frame.request_id === big);
    expect(result.debug.blob).toHaveLength(1_000_000);
    for (let index = 0; index < 20; index += 1) expect(await harness.next((frame) => frame.request_id === `bp-${index}`)).toMatchObject({ type: 'pong' });
    expect(harness.decodeError).toBeUndefined();
  });
});
