import { fileURLToPath } from 'node:url';
import { adapterBinPath } from '@procvision/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type LogEntry, Runner } from '../src/index.js';
import { fastConfig } from './helpers.js';

const root = fileURLToPath(new URL('./fixtures/real-algo/', import.meta.url));
const sdkScripted = fileURLToPath(new URL('../../sdk/test/fixtures/scripted/', import.meta.url));
const adapter = { command: process.execPath, args: [adapterBinPath] };
const jpeg = new Uint8Array(4096).fill(7);
jpeg.set([0xff, 0xd8, 0xff, 0xe0]);
const frame = { encoding: 'jpeg' as const, bytes: jpeg, width: 1920, height: 1200 };

const runners: Runner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.close()));
});

function newRunner(config = {}) {
  const logs: LogEntry[] = [];
  const runner = new Runner({
    config: { ...fastConfig, ...config },
    logger: { log: (entry) => logs.push(entry) },
    restartBackoff: { initialMs: 20, maxMs: 200 },
  });
  runners.push(runner);
  return { runner, logs };
}

describe('with the real SDK adapter (procvision-adapter)', () => {
  it('starts a package from its manifest and runs steps that read the frame from shared memory', async () => {
    const { runner } = newRunner();
    const process = await runner.startPackage({ root, adapter });
    expect(process.info).toMatchObject({ name: 'frame-bytes', version: '1.0.0' });
    const session = runner.createSession({ packageName: 'frame-bytes', pid: 'A01' });
    for (let step = 0; step < 3; step += 1) {
      const outcome = await runner.runStep(session.id, { stepIndex: 1, frame });
      expect(outcome).toMatchObject({ status: 'OK', resultStatus: 'OK' });
      expect(outcome.pre?.debug).toMatchObject({ bytes: jpeg.byteLength });
      expect(outcome.execute?.debug).toMatchObject({ bytes: jpeg.byteLength });
      // this.diagnostics.publish() in the algorithm reaches the step outcome.
      expect(outcome.diagnostics).toEqual({ frames_read: step + 1 });
    }
    expect(session.state).toEqual({ steps: 3 });
  });

  it('a spinning algorithm times out with 1005, is restarted, and the next call succeeds', async () => {
    const { runner } = newRunner({ execute_timeout_ms: 500, kill_grace_ms: 300 });
    await runner.startPackage({ root: sdkScripted, adapter });
    const session = runner.createSession({ packageName: 'scripted', pid: 'A01' });
    const spun = await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { behaviour: 'spin', duration_ms: 60_000 } });
    expect(spun).toMatchObject({ status: 'ERROR', errorCode: '1005', stage: 'execute' });
    const next = await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { behaviour: 'ok' } });
    expect(next).toMatchObject({ status: 'OK' });
  });

  it('RecoverableError is retried, FatalError restarts the process without a retry', async () => {
    const { runner } = newRunner({ max_retries: 1 });
    const process = await runner.startPackage({ root: sdkScripted, adapter });
    const retries: string[] = [];
    runner.on('call-retry', (event) => retries.push(event.reason));
    const session = runner.createSession({ packageName: 'scripted', pid: 'A01' });
    const recoverable = await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { behaviour: 'throw-recoverable' } });
    expect(recoverable).toMatchObject({ status: 'ERROR' });
    expect(retries).toEqual(['recoverable-error']);
    const processId = process.processId;
    const fatal = await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { behaviour: 'throw-fatal' } });
    expect(fatal).toMatchObject({ status: 'ERROR' });
    expect(retries).toHaveLength(1);
    const next = await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { behaviour: 'ok' } });
    expect(next).toMatchObject({ status: 'OK' });
    expect(process.processId).not.toBe(processId);
  });

  it('a setup failure of the real adapter reaches start() with its code', async () => {
    const { runner } = newRunner({ max_restarts: 0 });
    const failing = fileURLToPath(new URL('../../sdk/test/fixtures/setup-fails/', import.meta.url));
    await expect(runner.startPackage({ root: failing, adapter })).rejects.toMatchObject({ code: expect.stringMatching(/^(1003|9999)$/) });
  });
});
