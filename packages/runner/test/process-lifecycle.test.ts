import { afterEach, describe, expect, it } from 'vitest';
import { fakeProcess, stepCall, waitFor } from './helpers.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

function started(options: Parameters<typeof fakeProcess>[0] = {}) {
  const fake = fakeProcess(options);
  stops.push(() => fake.process.stop());
  return fake;
}

describe('AlgorithmProcess lifecycle', () => {
  it('starts, reports getInfo, runs pre and execute, stops cleanly', async () => {
    const { process, named } = started();
    const info = await process.start();
    expect(info.steps.map((step) => step.index)).toEqual([1, 2]);
    expect(process.state).toBe('ready');
    const pre = await process.call(stepCall('pre'));
    expect(pre).toMatchObject({ status: 'OK', source: 'result', attempts: 1 });
    const execute = await process.call(stepCall('execute', {}, pre.sessionState));
    expect(execute.data.result_status).toBe('OK');
    expect(execute.sessionState).toMatchObject({ calls: 2, last_pre: 1, last_execute: 1 });
    await process.stop();
    expect(process.state).toBe('stopped');
    expect(named('process-exit')).toEqual([expect.objectContaining({ code: 0, expected: true })]);
    const ready = named('process-ready')[0]!;
    expect(ready.coldStartMs).toBeGreaterThan(0);
    expect(ready.helloMs).toBeGreaterThan(0);
    expect(ready.helloMs).toBeLessThanOrEqual(ready.coldStartMs);
  });

  it('runs the adapter in the package root with a controlled environment', async () => {
    process.env.PV_TEST_SECRET = 'must not leak';
    try {
      const { process: algorithm } = started({ env: { EXTRA_FLAG: '1' } });
      await algorithm.start();
      await algorithm.call(stepCall('execute', { fault: 'env' }));
      await waitFor(() => algorithm.recentLogs().some((entry) => entry.message === 'env'), 5_000, 'the env line');
      const fields = algorithm.recentLogs().find((entry) => entry.message === 'env')!.fields as { keys: string[]; cwd: string; root: string };
      expect(fields.keys).toEqual(expect.arrayContaining(['PATH', 'PROC_ALGO_ROOT', 'PROC_MAX_DEFECTS', 'EXTRA_FLAG']));
      expect(fields.keys).not.toContain('PV_TEST_SECRET');
      expect(fields.cwd).toBe(fields.root.replace(/\/$/, ''));
    } finally {
      delete process.env.PV_TEST_SECRET;
    }
  });
});
