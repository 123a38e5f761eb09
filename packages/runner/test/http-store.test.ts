import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageStore } from '../src/store/index.js';
import { createRunnerService, type RunnerService } from '../src/http/index.js';
import { workspaceAdapterStarter } from './hardening-fixtures.js';
import { buildTinyZip, temporaryFolder } from './store-fixtures/store-fixtures.js';

/** A self-contained algorithm (no imports) that says which version answered. */
function algorithmSource(version: string): string {
  return `export class TinyAlgo {
  getInfo() {
    const params = [{ key: 'pre_sleep_ms', type: 'int', min: 0, max: 5000, default: 0 }];
    return { name: 'tiny-algo', version: '${version}', supported_pids: ['A01', 'A02'], steps: [{ index: 1, name: 'check', params }] };
  }
  async preExecute(stepIndex, pid, session, userParams) {
    await new Promise((resolve) => setTimeout(resolve, userParams.pre_sleep_ms));
    return { status: 'OK', message: 'ready' };
  }
  execute() { return { status: 'OK', message: 'checked', data: { result_status: 'OK', version: '${version}' } }; }
}
`;
}

async function call(url: string, method: string, path: string, body?: unknown, contentType = 'application/json') {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = body instanceof Uint8Array ? body : JSON.stringify(body);
    init.headers = { 'content-type': contentType };
  }
  const response = await fetch(`${url}${path}`, init);
  return { status: response.status, json: (await response.json()) as any };
}

const folder = temporaryFolder('procvision-http-store-');
const zips = { first: '', second: '' };
let image = '';
let store: PackageStore;
let service: RunnerService;
let url = '';

beforeAll(async () => {
  zips.first = await buildTinyZip(folder.path, join(folder.path, 'zips'), { version: '1.0.0', withDependency: false, mainSource: algorithmSource('1.0.0') });
  zips.second = await buildTinyZip(folder.path, join(folder.path, 'zips'), { version: '1.1.0', withDependency: false, mainSource: algorithmSource('1.1.0') });
  image = (
    await sharp({ create: { width: 32, height: 24, channels: 3, background: '#808080' } })
      .png()
      .toBuffer()
  ).toString('base64');
  store = await PackageStore.open(join(folder.path, 'store'), { processStarter: workspaceAdapterStarter });
  service = createRunnerService({ store, port: 0, limits: { zipBytes: 4 * 1024 * 1024 }, logger: { log() {} } });
  url = await service.listen();
}, 180_000);

afterAll(async () => {
  await service?.close();
  folder.cleanup();
});

const execute = () => call(url, 'POST', '/execute', { pid: 'A01', step_index: 1, image });

describe('runner service over a real package store', () => {
  it('validates a zip without installing it, and refuses a damaged one with 2001', async () => {
    const valid = await call(url, 'POST', '/validate', readFileSync(zips.first), 'application/zip');
    expect(valid.status).toBe(200);
    expect(valid.json).toMatchObject({
      valid: true,
      name: 'tiny-algo',
      version: '1.0.0',
      supported_pids: ['A01', 'A02'],
      compatible: true,
      signature: { signed: false },
    });
    expect((await call(url, 'GET', '/packages')).json).toEqual({ packages: [] });
    const damaged = await call(url, 'POST', '/validate', Buffer.from('PK\u0003\u0004 not really a zip'), 'application/zip');
    expect(damaged.status).toBe(422);
    expect(damaged.json.error).toMatchObject({ code: '2001', name: 'invalid_zip' });
    const missing = await call(url, 'POST', '/validate', { path: join(folder.path, 'nope.zip') });
    expect(missing.status).toBe(422);
  });

  it('installs from uploaded bytes and from a path, then lists both', async () => {
    const uploaded = await call(url, 'POST', '/packages', readFileSync(zips.first), 'application/octet-stream');
    expect(uploaded.status).toBe(201);
    expect(uploaded.json.package).toMatchObject({ name: 'tiny-algo', version: '1.0.0', state: 'deployed' });
    const byPath = await call(url, 'POST', '/packages', { path: zips.second });
    expect(byPath.status).toBe(201);
    const again = await call(url, 'POST', '/packages', { path: zips.second });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('2010');
    const listed = await call(url, 'GET', '/packages');
    expect(listed.json.packages.map((entry: { version: string }) => entry.version)).toEqual(['1.0.0', '1.1.0']);
    // Each version carries its SBOM's license summary (license -> number of packages).
    expect(listed.json.packages[0]).toMatchObject({ sbom_file: 'sbom.cdx.json', licenses: expect.any(Object) });
  }, 60_000);

  it('activates, executes, switches with no gap, rolls back, and guards uninstall', async () => {
    expect((await execute()).json.error).toMatchObject({ code: '1001' });
    const activated = await call(url, 'POST', '/packages/tiny-algo/1.0.0/activate', { pids: ['A01'] });
    expect(activated.status).toBe(200);
    expect(activated.json.bindings.A01).toMatchObject({ name: 'tiny-algo', version: '1.0.0', previous: null });
    expect((await execute()).json).toMatchObject({ status: 'OK', result_status: 'OK', execute: { data: { version: '1.0.0' } } });
    const ready = await call(url, 'GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.json.packages).toEqual([expect.objectContaining({ name: 'tiny-algo', version: '1.0.0', pids: ['A01'], state: 'ready' })]);

    const conflict = await call(url, 'POST', '/packages/tiny-algo/1.1.0/activate', { pids: ['A01'] });
    expect(conflict.status).toBe(409);
    expect(conflict.json.error.code).toBe('2006');
    const unsupported = await call(url, 'POST', '/packages/tiny-algo/1.1.0/activate', { pids: ['Z9'] });
    expect(unsupported.status).toBe(409);

    const session = (await call(url, 'POST', '/sessions', { pid: 'A01' })).json.session_id as string;
    expect((await call(url, 'POST', '/switch', { name: 'tiny-algo', version: '1.1.0', pids: ['A01'] })).status).toBe(200);
    expect((await execute()).json.execute.data.version).toBe('1.1.0');
    const step = await call(url, 'POST', `/sessions/${session}/steps`, { step_index: 1, image });
    expect(step.json.execute.data.version).toBe('1.1.0');

    const rolledBack = await call(url, 'POST', '/rollback', { name: 'tiny-algo', pids: ['A01'] });
    expect(rolledBack.json.bindings.A01).toMatchObject({ version: '1.0.0' });
    expect((await execute()).json.execute.data.version).toBe('1.0.0');

    const refused = await call(url, 'DELETE', '/packages/tiny-algo/1.0.0');
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: '2007', name: 'unsafe_uninstall' });
    const bad = await call(url, 'POST', '/switch', { name: 'tiny-algo', pids: [] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/version/);
  }, 60_000);

  it('a step in flight during a switch still gets its answer (old process finishes, or the step reruns on the new one)', async () => {
    const slow = call(url, 'POST', '/execute', { pid: 'A01', step_index: 1, image, user_params: { pre_sleep_ms: 400 } });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const switched = await call(url, 'POST', '/switch', { name: 'tiny-algo', version: '1.1.0', pids: ['A01'] });
    expect(switched.status).toBe(200);
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ status: 'OK', result_status: 'OK' });
    expect((await execute()).json.execute.data.version).toBe('1.1.0');
    expect((await call(url, 'POST', '/rollback', { name: 'tiny-algo', pids: ['A01'] })).status).toBe(200);
  }, 30_000);

  it('refuses an upload over the zip limit with 413', async () => {
    const answer = await call(url, 'POST', '/packages', Buffer.alloc(5 * 1024 * 1024), 'application/zip');
    expect(answer.status).toBe(413);
  });

  it('exports metrics of the store processes', async () => {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/procvision_calls_total\{package="tiny-algo",phase="execute",status="OK",code=""\} \d+/);
    expect(metrics).toMatch(/procvision_steps_total\{package="tiny-algo",version="1\.\d\.0",status="OK",result_status="OK",code=""\} [1-9]\d*/);
    // store-started processes are counted (the service watches them after their start), the binding is shown
    expect(metrics).toMatch(/procvision_process_starts_total\{package="tiny-algo"\} [1-9]\d*/);
    expect(metrics).toMatch(/procvision_active_binding\{pid="A01",package="tiny-algo",version="1\.\d\.0"\} 1/);
    expect(metrics).toMatch(/procvision_algorithm_resident_memory_bytes\{package="tiny-algo",version="1\.\d\.0",instance="0"\} [1-9]\d*/);
    expect(metrics).toMatch(/procvision_process_faults_total\{package="tiny-algo",reason="memory-limit"\} 0/);
    expect(metrics).toMatch(/procvision_active_processes 1/);
  });
});
