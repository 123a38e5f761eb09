import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type LogEntry, Runner, type RunnerEvents } from '../src/index.js';
import { fakeAdapter, fastConfig, waitFor } from './helpers.js';

const root = fileURLToPath(new URL('./fixtures/', import.meta.url));
const frame = { encoding: 'jpeg' as const, bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]), width: 64, height: 48, cameraId: 'cam-01' };
const runners: Runner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.close()));
});

async function fakeRunner(config = {}) {
  const logs: LogEntry[] = [];
  const runner = new Runner({
    config: { ...fastConfig, ...config },
    logger: { log: (entry) => logs.push(entry) },
    restartBackoff: { initialMs: 20, maxMs: 200 },
  });
  runners.push(runner);
  const calls: RunnerEvents['call-start'][] = [];
  runner.on('call-start', (event) => calls.push(event));
  await runner.startPackage({ root, name: 'fake-algo', version: '1.0.0', adapter: fakeAdapter });
  const session = runner.createSession({ packageName: 'fake-algo', pid: 'A01', context: { product_code: 'A01', trace_id: 't-1' } });
  return { runner, session, logs, calls };
}

function ownSegments(): string[] {
  return readdirSync('/dev/shm').filter((name) => name.startsWith(`pv-${process.pid}-`));
}

describe('Runner inspections', () => {
  it('runs pre then execute through shared memory and keeps the session state between steps', async () => {
    const { runner, session } = await fakeRunner();
    const first = await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { threshold: 0.7 } });
    expect(first).toMatchObject({ status: 'OK', stage: 'execute', resultStatus: 'OK', warnings: [] });
    expect(first.frame?.sharedMemId).toMatch(/^mmap:pv-/);
    expect(first.frame?.imageMeta).toMatchObject({ width: 64, height: 48, camera_id: 'cam-01' });
    expect(session.state).toMatchObject({ calls: 2 });
    await runner.runStep(session.id, { stepIndex: 2, frame });
    expect(session.state).toMatchObject({ calls: 4, last_pre: 2, last_execute: 2 });
    expect(Object.isFrozen(session.context)).toBe(true);
  });

  it('rejects invalid user params with 1006 (and rects outside the image with 1007) without calling the algorithm', async () => {
    const { runner, session, calls } = await fakeRunner();
    const wrongType = await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { threshold: 'high' } });
    expect(wrongType).toMatchObject({ status: 'ERROR', errorCode: '1006', stage: 'validate' });
    expect(wrongType.message).toMatch(/threshold/);
    const outside = await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { roi: { x: 60, y: 0, width: 10, height: 10 } } });
    expect(outside).toMatchObject({ status: 'ERROR', errorCode: '1007' });
    expect(await runner.runStep(session.id, { stepIndex: 9, frame })).toMatchObject({ errorCode: '1006', message: expect.stringMatching(/step_index 9/) });
    const other = runner.createSession({ packageName: 'fake-algo', pid: 'Z99' });
    expect(await runner.runStep(other.id, { stepIndex: 1, frame })).toMatchObject({ errorCode: '1001' });
    expect(calls).toHaveLength(0);
  });

  it('skips execute when pre returns ERROR', async () => {
    const { runner, session, calls } = await fakeRunner();
    const outcome = await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { fault: 'error-result', fault_phase: 'pre' } });
    expect(outcome).toMatchObject({ status: 'ERROR', stage: 'pre', errorCode: '9999', message: 'lighting too dark' });
    expect(outcome.execute).toBeUndefined();
    expect(calls.map((call) => call.phase)).toEqual(['pre']);
  });

  it('truncates defect rects beyond max_defects with a warning', async () => {
    const { runner, session, logs } = await fakeRunner({ max_defects: 20 });
    const outcome = await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { defects: 25 } });
    expect(outcome).toMatchObject({ status: 'OK', resultStatus: 'NG' });
    expect(outcome.execute?.data?.defect_rects).toHaveLength(20);
    expect(outcome.warnings).toEqual([expect.stringMatching(/25/)]);
    expect(logs.some((entry) => entry.level === 'warn' && entry.sessionId === session.id && /defect/.test(entry.message))).toBe(true);
  });

  it('keeps the session state across a crash and restart of the algorithm process', async () => {
    const { runner, session } = await fakeRunner();
    await runner.runStep(session.id, { stepIndex: 1, frame });
    const crashed = await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { fault: 'exit' } });
    expect(crashed).toMatchObject({ status: 'ERROR', errorCode: '1005', stage: 'execute' });
    expect(session.state).toMatchObject({ calls: 3 });
    await runner.runStep(session.id, { stepIndex: 2, frame });
    expect(session.state).toMatchObject({ calls: 5 });
  });

  it('tags stderr lines with package and session, parses JSON lines, wraps text, keeps them in the ring', async () => {
    const { runner, session, logs } = await fakeRunner();
    await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { fault: 'log' } });
    await waitFor(() => runner.recentLogs('fake-algo').length >= 2, 5_000, 'two stderr lines');
    const lines = runner.recentLogs('fake-algo');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'json line',
        fields: { camera: 'cam-01' },
        sessionId: session.id,
        packageName: 'fake-algo',
        packageVersion: '1.0.0',
        source: 'algorithm',
      }),
      expect.objectContaining({ level: 'info', message: 'plain text line', sessionId: session.id }),
    ]);
    expect(logs.filter((entry) => entry.source === 'algorithm')).toHaveLength(2);
  });

  it('resets and ends sessions; an ended session takes no steps', async () => {
    const { runner, session } = await fakeRunner();
    await runner.runStep(session.id, { stepIndex: 1, frame });
    const reset = await runner.resetSession(session.id);
    expect(reset).toMatchObject({ status: 'OK' });
    expect(session.state).toEqual({});
    runner.endSession(session.id);
    expect(await runner.runStep(session.id, { stepIndex: 1, frame })).toMatchObject({ status: 'ERROR', errorCode: '1006' });
  });

  it('frees its shared-memory segments when closed', async () => {
    const { runner, session } = await fakeRunner();
    await runner.runStep(session.id, { stepIndex: 1, frame });
    expect(ownSegments().length).toBeGreaterThan(0);
    await runner.close();
    expect(ownSegments()).toEqual([]);
  });
});
