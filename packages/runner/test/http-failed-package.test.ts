import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlgorithmProcess } from '../src/index.js';
import { PackageStore, type ProcessStarter } from '../src/store/index.js';
import { createRunnerService, type RunnerService } from '../src/http/index.js';
import { call, pngHeaderOnly } from './hardening-fixtures.js';
import { fakeAdapter, fastConfig } from './helpers.js';
import { buildTinyZip, temporaryFolder } from './store-fixtures/store-fixtures.js';

/** The fake adapter under the installed package's name: one restart, then `failed`, never retried by itself. */
const crashableStarter: ProcessStarter = async (deployed) => {
  const process = new AlgorithmProcess({
    packageName: deployed.name,
    packageVersion: deployed.version,
    root: deployed.root,
    adapter: fakeAdapter,
    config: { ...fastConfig, max_restarts: 1 },
    restartBackoff: { initialMs: 20, maxMs: 200 },
    failedRetry: false,
    logger: { log() {} },
  });
  await process.start();
  return { process, stop: () => process.stop() };
};

const folder = temporaryFolder('procvision-http-failed-');
let store: PackageStore;
let service: RunnerService;
let url = '';
const image = pngHeaderOnly(32, 24).toString('base64');

beforeAll(async () => {
  const zip = await buildTinyZip(folder.path, join(folder.path, 'zips'), { version: '1.0.0', withDependency: false });
  store = await PackageStore.open(join(folder.path, 'store'), { processStarter: crashableStarter });
  await store.install(zip);
  await store.activate('tiny-algo', '1.0.0', ['A01']);
  service = createRunnerService({ store, port: 0, logger: { log() {} }, limits: { failedLivenessMs: 1_500 } });
  url = await service.listen();
}, 120_000);

afterAll(async () => {
  await service?.close();
  folder.cleanup();
});

const poison = () => call(url, 'POST', '/execute', { pid: 'A01', step_index: 1, image, user_params: { fault: 'exit' } });

async function untilStatus(path: string, status: number, limitMs: number): Promise<Awaited<ReturnType<typeof call>>> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const answer = await call(url, 'GET', path);
    if (answer.status === status || Date.now() > deadline) return answer;
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

describe('a failed package: /ready names it, /health fails liveness after failed_liveness_ms, activate of the same version heals it', () => {
  it('crash frames exhaust the restart budget: /ready 503 naming the package and why; /health 200 until 1.5 s have passed, then 503', async () => {
    expect((await call(url, 'GET', '/health')).status).toBe(200);
    await poison();
    await untilStatus('/ready', 200, 10_000);
    await poison();
    const ready = await untilStatus('/ready', 503, 10_000);
    expect(ready.status).toBe(503);
    const entry = ready.json.packages.find((item: { name: string }) => item.name === 'tiny-algo');
    expect(entry).toMatchObject({ version: '1.0.0', state: 'failed' });
    expect(typeof entry.failed_since).toBe('string');
    expect(ready.json.reasons.join('\n')).toMatch(/tiny-algo@1\.0\.0 is failed: .*exit code 7.*restarts within/);
    const failedAt = Date.parse(entry.failed_since);
    // Not yet failing for long enough: still alive.
    if (Date.now() - failedAt < 1_000) expect((await call(url, 'GET', '/health')).status).toBe(200);
    const health = await untilStatus('/health', 503, 10_000);
    expect(health.status).toBe(503);
    expect(Date.now() - failedAt).toBeGreaterThanOrEqual(1_500);
    expect(health.json).toMatchObject({ status: 'failing' });
    expect(health.json.reasons[0]).toMatch(/^tiny-algo@1\.0\.0 has been failing since .*failed_liveness_ms 1500/);
  }, 60_000);

  it('POST /packages/tiny-algo/1.0.0/activate for the PID it already serves restarts it: ready, steps OK, /health 200', async () => {
    const activated = await call(url, 'POST', '/packages/tiny-algo/1.0.0/activate', { pids: ['A01'] });
    expect(activated.status, activated.text).toBe(200);
    expect((await call(url, 'GET', '/ready')).status).toBe(200);
    expect((await call(url, 'GET', '/health')).json).toMatchObject({ status: 'ok' });
    expect((await call(url, 'POST', '/execute', { pid: 'A01', step_index: 1, image })).json).toMatchObject({ status: 'OK' });
  }, 60_000);

  it('POST /switch to the same version heals it the same way', async () => {
    await poison();
    await untilStatus('/ready', 200, 10_000);
    await poison();
    expect((await untilStatus('/ready', 503, 10_000)).status).toBe(503);
    const switched = await call(url, 'POST', '/switch', { name: 'tiny-algo', version: '1.0.0', pids: ['A01'] });
    expect(switched.status, switched.text).toBe(200);
    expect((await call(url, 'GET', '/ready')).status).toBe(200);
    expect((await call(url, 'POST', '/execute', { pid: 'A01', step_index: 1, image })).json).toMatchObject({ status: 'OK' });
  }, 60_000);
});
