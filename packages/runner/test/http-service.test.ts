import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adapterBinPath } from '@procvision/sdk';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LogEntry } from '../src/index.js';
import { createRunnerService, type RunnerService } from '../src/http/index.js';
import { fastConfig } from './helpers.js';

const adapter = { command: process.execPath, args: [adapterBinPath] };
const scripted = { root: fileURLToPath(new URL('../../sdk/test/fixtures/scripted/', import.meta.url)), adapter };
const frameBytes = { root: fileURLToPath(new URL('./fixtures/real-algo/', import.meta.url)), adapter };

async function call(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body instanceof Uint8Array || typeof body === 'string') init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const response = await fetch(`${url}${path}`, init);
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, headers: response.headers, json: type.startsWith('application/json') ? JSON.parse(text) : undefined, text };
}

function newService(packages: Array<{ root: string; adapter: typeof adapter }>, config = {}, extra: Partial<Parameters<typeof createRunnerService>[0]> = {}) {
  const logs: LogEntry[] = [];
  const logger = { log: (entry: LogEntry) => logs.push(entry) };
  const service = createRunnerService({
    packages,
    runnerConfig: { ...fastConfig, ...config },
    restartBackoff: { initialMs: 20, maxMs: 200 },
    port: 0,
    logger,
    ...extra,
  });
  return { service, logs };
}

let jpeg: Buffer;
let png: Buffer;
let directory: string;
beforeAll(async () => {
  const image = sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 100, b: 50 } } });
  jpeg = await image.clone().jpeg().toBuffer();
  png = await image.clone().png().toBuffer();
  directory = await mkdtemp(join(tmpdir(), 'procvision-http-test-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('runner service over real HTTP with the real SDK adapter', () => {
  let service: RunnerService;
  let url: string;
  beforeAll(async () => {
    ({ service } = newService([scripted], { execute_timeout_ms: 1_500 }, { limits: { jsonBytes: 256 * 1024 } }));
    url = await service.listen();
  });
  afterAll(async () => {
    await service.close();
  });

  it('binds 127.0.0.1 and answers /health, /ready and the route list', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await call(url, 'GET', '/health')).json).toMatchObject({ status: 'ok' });
    const ready = await call(url, 'GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ ready: true, packages: [{ name: 'scripted', state: 'ready', pids: ['A01', 'hooks-throw'] }] });
    expect((await call(url, 'GET', '/')).json.routes).toContain('POST /sessions/:id/steps');
  });

  it('answers unknown paths with 404 and wrong methods with 405 and Allow', async () => {
    const missing = await call(url, 'GET', '/nope');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ error: { code: 'not_found', name: 'not_found' } });
    const wrong = await call(url, 'PUT', '/sessions');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(wrong.json.error.code).toBe('method_not_allowed');
    expect((await call(url, 'GET', '/packages')).status).toBe(404);
  });

  it('runs a session step by step, keeping the session state between steps, then ends it', async () => {
    const created = await call(url, 'POST', '/sessions', { pid: 'A01', context: { trace_id: 't-1' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ pid: 'A01', package: 'scripted', context: { trace_id: 't-1' } });
    const id = created.json.session_id as string;
    expect(created.headers.get('location')).toBe(`/sessions/${id}`);

    const first = await call(url, 'POST', `/sessions/${id}/steps`, { step_index: 1, image: jpeg.toString('base64'), user_params: { behaviour: 'ok' } });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      session_id: id,
      step_index: 1,
      status: 'OK',
      result_status: 'OK',
      pre_execute: { status: 'OK', message: 'pre 1' },
      execute: { status: 'OK' },
    });
    const path = join(directory, 'frame.png');
    await writeFile(path, png);
    const second = await call(url, 'POST', `/sessions/${id}/steps`, { step_index: 2, image: { path }, image_meta: { camera_id: 'cam-7', width: 64 } });
    expect(second.json).toMatchObject({ status: 'OK', execute: { data: { seen: { by: 'step 1', at: 42 } } } });

    const read = await call(url, 'GET', `/sessions/${id}`);
    expect(read.json).toMatchObject({ steps: 2, state: { step1_mark: { by: 'step 1' }, finished_1: 'OK', finished_2: 'OK' } });
    expect((await call(url, 'DELETE', `/sessions/${id}`)).json).toMatchObject({ ended: true, steps: 2 });
    const gone = await call(url, 'POST', `/sessions/${id}/steps`, { step_index: 1, image: jpeg.toString('base64') });
    expect(gone.status).toBe(404);
  });

  it('one-shot /execute returns NG verdicts and algorithm ERROR results as data (200)', async () => {
    const ng = await call(url, 'POST', '/execute', {
      pid: 'A01',
      step_index: 1,
      image: `data:image/jpeg;base64,${jpeg.toString('base64')}`,
      user_params: { behaviour: 'ng' },
    });
    expect(ng.status).toBe(200);
    expect(ng.json).toMatchObject({ status: 'OK', result_status: 'NG', execute: { data: { ng_reason: 'screw missing' } } });
    const refused = await call(url, 'POST', '/execute', { pid: 'A01', step_index: 1, image: jpeg.toString('base64'), user_params: { behaviour: 'error' } });
    expect(refused.status).toBe(200);
    expect(refused.json).toMatchObject({
      status: 'ERROR',
      error_code: '1002',
      stage: 'pre',
      pre_execute: { status: 'ERROR', message: 'lamp too dark' },
      execute: null,
    });
  });

  it('maps runner-side failures to error statuses with the code', async () => {
    const image = jpeg.toString('base64');
    const cases: Array<[unknown, number, string]> = [
      [{ pid: 'A01', step_index: 9, image }, 400, '1006'],
      [{ pid: 'A01', step_index: 1, image, user_params: { behaviour: 'dance' } }, 400, '1006'],
      [{ pid: 'Z99', step_index: 1, image }, 422, '1001'],
      [{ pid: 'A01', step_index: 1, image: Buffer.from('not an image').toString('base64') }, 422, '1002'],
      [{ pid: 'A01', step_index: 1, image: { path: join(directory, 'missing.jpg') } }, 422, '1002'],
      [{ pid: 'A01', step_index: 1, image, image_meta: { height: 1200 } }, 400, '1006'],
      [{ pid: 'A01', step_index: 0, image }, 400, '1006'],
      [{ step_index: 1, image }, 400, '1006'],
    ];
    for (const [body, status, code] of cases) {
      const answer = await call(url, 'POST', '/execute', body);
      expect({ body, status: answer.status, code: answer.json?.error?.code }).toEqual({ body, status, code });
      expect(answer.json.error.name).toEqual(expect.any(String));
      expect(answer.json.error.message).toEqual(expect.any(String));
    }
    const fields = await call(url, 'POST', '/execute', { pid: 'A01', step_index: 'one', image });
    expect(fields.json.error.message).toContain('step_index');
  });

  it('a timed-out step is a 504 with 1005, and the restarted process serves the next one', async () => {
    const image = jpeg.toString('base64');
    const spun = await call(url, 'POST', '/execute', { pid: 'A01', step_index: 1, image, user_params: { behaviour: 'spin', duration_ms: 60_000 } });
    expect(spun.status).toBe(504);
    expect(spun.json.error).toMatchObject({ code: '1005', name: 'timeout', details: { stage: 'execute' } });
    const next = await call(url, 'POST', '/execute', { pid: 'A01', step_index: 1, image });
    expect(next.json).toMatchObject({ status: 'OK' });
    const metrics = await call(url, 'GET', '/metrics');
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.text).toMatch(/procvision_process_restarts_total\{package="scripted",reason="timeout"\} 1/);
    expect(metrics.text).toMatch(/procvision_calls_total\{package="scripted",phase="execute",status="ERROR",code="1005"\} 1/);
    expect(metrics.text).toMatch(/procvision_step_duration_seconds_bucket\{le="\+Inf",package="[^"]+",version="[^"]+"\} \d+/);
    expect(metrics.text).toMatch(/procvision_active_processes 1/);
    expect(metrics.text).toMatch(/procvision_http_requests_total\{method="POST",route="\/execute",status="504"\} 1/);
  });

  it('refuses bodies over the limit (413), invalid JSON (400) and other media types (415)', async () => {
    const big = await call(url, 'POST', '/execute', { pid: 'A01', step_index: 1, image: Buffer.alloc(300 * 1024).toString('base64') });
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('payload_too_large');
    const broken = await call(url, 'POST', '/sessions', '{"pid":', { 'content-type': 'application/json' });
    expect(broken.status).toBe(400);
    expect(broken.json.error).toMatchObject({ code: '1006', name: 'invalid_params' });
    const text = await call(url, 'POST', '/sessions', 'pid=A01', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
  });
});

describe('frames through shared memory', () => {
  it('the algorithm reads the uploaded image bytes from the frame ring', async () => {
    const { service } = newService([frameBytes]);
    const url = await service.listen();
    try {
      const answer = await call(url, 'POST', '/execute', { pid: 'A01', step_index: 1, image: jpeg.toString('base64') });
      expect(answer.json).toMatchObject({ status: 'OK', pre_execute: { debug: { bytes: jpeg.byteLength } }, execute: { debug: { bytes: jpeg.byteLength } } });
      expect(answer.json.diagnostics).toMatchObject({ frames_read: expect.any(Number) });
    } finally {
      await service.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes the in-flight call, refuses new work, then stops the processes', async () => {
    const { service } = newService([scripted]);
    const url = await service.listen();
    const osPid = (await call(url, 'GET', '/ready')).json.packages[0].os_pid as number;
    expect(() => process.kill(osPid, 0)).not.toThrow();
    const slow = call(url, 'POST', '/execute', {
      pid: 'A01',
      step_index: 1,
      image: jpeg.toString('base64'),
      user_params: { behaviour: 'sleep', duration_ms: 600 },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closing = service.close();
    const refused = await fetch(`${url}/health`).then(
      (response) => response.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(refused);
    const finished = await slow;
    expect(finished.json).toMatchObject({ status: 'OK', result_status: 'OK' });
    await closing;
    expect(() => process.kill(osPid, 0)).toThrow();
  });

  it('reports a package that failed to start in /ready (503) while /health stays up', async () => {
    const broken = { root: fileURLToPath(new URL('../../sdk/test/fixtures/setup-fails/', import.meta.url)), adapter };
    const { service, logs } = newService([broken], { max_restarts: 0 });
    const url = await service.listen();
    try {
      expect((await call(url, 'GET', '/health')).status).toBe(200);
      const ready = await call(url, 'GET', '/ready');
      expect(ready.status).toBe(503);
      expect(ready.json.ready).toBe(false);
      expect(ready.json.reasons.join(' ')).toMatch(/failed|stopped/);
      expect(logs.some((entry) => entry.message.includes('did not start'))).toBe(true);
    } finally {
      await service.close();
    }
  });
});
