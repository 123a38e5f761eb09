import { afterEach, describe, expect, it } from 'vitest';
import { fakeProcess, stepCall, waitFor } from './helpers.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

describe('a failed package heals without a service restart', () => {
  it('the poison-frame sequence: four crashing frames make it failed, the slower retry schedule brings it back, steps are OK again', async () => {
    const { process, named } = fakeProcess({ failedRetry: { initialMs: 1_000, maxMs: 4_000 } });
    stops.push(() => process.stop());
    await process.start();
    for (let frame = 0; frame < 4; frame += 1) {
      const outcome = await process.call(stepCall('execute', { fault: 'exit' }));
      expect(outcome.status).toBe('ERROR');
      if (frame < 3) await waitFor(() => process.state === 'ready', 10_000, 'restart after a poison frame');
    }
    await waitFor(() => process.state === 'failed', 10_000, 'failed after the restart budget');
    const failedAt = Date.now();
    expect(process.failedSince).toBeGreaterThan(0);
    const refused = await process.call(stepCall('execute'));
    expect(refused).toMatchObject({ status: 'ERROR', errorCode: '1005' });
    await waitFor(() => process.state === 'ready', 10_000, 'ready again on the slower schedule');
    expect(Date.now() - failedAt).toBeGreaterThanOrEqual(800);
    expect(process.failedSince).toBeUndefined();
    expect(await process.call(stepCall('execute'))).toMatchObject({ status: 'OK' });
    expect(named('state-change').map((change) => change.to)).toContain('failed');
  }, 60_000);

  it('restart() brings a failed process back at once (what POST /packages/:name/:version/restart and activate/switch of the same version do)', async () => {
    const { process } = fakeProcess({ failedRetry: false, config: { max_restarts: 1 } });
    stops.push(() => process.stop());
    await process.start();
    await process.call(stepCall('execute', { fault: 'exit' }));
    await waitFor(() => process.state === 'ready', 10_000, 'first restart');
    await process.call(stepCall('execute', { fault: 'exit' }));
    await waitFor(() => process.state === 'failed', 10_000, 'failed');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(process.state).toBe('failed');
    await process.restart();
    expect(process.state).toBe('ready');
    expect(await process.call(stepCall('execute'))).toMatchObject({ status: 'OK' });
  }, 60_000);
});
