import { isProcessAlive as alive } from '@procvision/manifest/process-exit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PackageStore } from '../src/store/index.js';
import { createRunnerService } from '../src/http/index.js';
import { call, pngHeaderOnly, workspaceAdapterStarter } from './hardening-fixtures.js';
import { fakeProcess, stepCall, waitFor } from './helpers.js';
import { buildTinyZip, temporaryFolder } from './store-fixtures/store-fixtures.js';

/** Process group and session of a live process (`/proc/<pid>/stat` fields 5 and 6). */
function groupAndSession(pid: number): { pgrp: number; session: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pgrp: Number(fields[2]), session: Number(fields[3]) };
}

const leftovers: number[] = [];
afterAll(() => {
  for (const pid of leftovers) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function detachedChildOf(fake: ReturnType<typeof fakeProcess>): Promise<number> {
  expect(await fake.process.call(stepCall('execute', { fault: 'detached-child' }))).toMatchObject({ status: 'OK' });
  await waitFor(() => fake.process.recentLogs().some((entry) => entry.message === 'detached-child'), 5_000, 'the detached-child line');
  const line = fake.process.recentLogs().find((entry) => entry.message === 'detached-child');
  const child = line?.fields?.child_pid as number;
  leftovers.push(child);
  expect(alive(child)).toBe(true);
  // Out of the adapter's process group and session: a process-group kill does not reach it.
  const adapter = fake.process.processId!;
  expect(groupAndSession(child).pgrp).not.toBe(groupAndSession(adapter).pgrp);
  expect(groupAndSession(child).session).toBe(child);
  return child;
}

describe.runIf(process.platform === 'linux')('process containment: a detached grandchild ends with its algorithm', () => {
  it('stop(): the detached child (own session) is gone once the process is stopped', async () => {
    const fake = fakeProcess();
    stops.push(() => fake.process.stop());
    await fake.process.start();
    const child = await detachedChildOf(fake);
    await fake.process.stop();
    await waitFor(() => !alive(child), 5_000, 'the detached child to be killed');
  }, 30_000);

  it('a crash: the detached child, reparented to init when the adapter died, is killed too', async () => {
    const fake = fakeProcess({ failedRetry: false });
    stops.push(() => fake.process.stop());
    await fake.process.start();
    const child = await detachedChildOf(fake);
    // Let the periodic walk see it (it is what remembers children of a process that then dies abruptly).
    await new Promise((resolveWait) => setTimeout(resolveWait, 1_500));
    expect(await fake.process.call(stepCall('execute', { fault: 'sigsegv' }))).toMatchObject({ status: 'ERROR' });
    await waitFor(() => !alive(child), 5_000, 'the detached child to be killed after the crash');
  }, 30_000);

  it('a real algorithm spawning a detached `sleep` in execute: DELETE /packages/...?force=1 leaves no sleep behind', async () => {
    const folder = temporaryFolder('procvision-containment-');
    stops.push(async () => folder.cleanup());
    const mainSource = `import { spawn } from 'node:child_process';
export class TinyAlgo {
  getInfo() {
    return { name: 'tiny-algo', version: '1.0.0', supported_pids: ['A01'], steps: [{ index: 1, name: 'check', params: [] }] };
  }
  preExecute() { return { status: 'OK', message: 'ready' }; }
  execute() {
    const child = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    child.unref();
    return { status: 'OK', message: 'spawned', data: { result_status: 'OK', sleep_pid: child.pid } };
  }
}
`;
    const zip = await buildTinyZip(folder.path, join(folder.path, 'zips'), { version: '1.0.0', withDependency: false, mainSource });
    const store = await PackageStore.open(join(folder.path, 'store'), { processStarter: workspaceAdapterStarter });
    const service = createRunnerService({ store, port: 0, logger: { log() {} } });
    stops.push(() => service.close());
    const url = await service.listen();
    expect((await call(url, 'POST', '/packages', { path: zip })).status).toBe(201);
    expect((await call(url, 'POST', '/packages/tiny-algo/1.0.0/activate', { pids: ['A01'] })).status).toBe(200);
    const image = pngHeaderOnly(32, 24).toString('base64');
    const step = await call(url, 'POST', '/execute', { pid: 'A01', step_index: 1, image });
    expect(step.json, step.text).toMatchObject({ status: 'OK' });
    const sleepPid = step.json.execute.data.sleep_pid as number;
    leftovers.push(sleepPid);
    expect(alive(sleepPid)).toBe(true);
    const removed = await call(url, 'DELETE', '/packages/tiny-algo/1.0.0?force=1');
    expect(removed.status, removed.text).toBe(200);
    await waitFor(() => !alive(sleepPid), 5_000, 'the detached sleep to be killed');
  }, 120_000);
});
