import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, truncateSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFrameWriter, readImage } from '@procvision/shm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunnerService, defaultServiceLimits } from '../src/http/index.js';
import { silentLogger } from '../src/index.js';
import { call, pngHeaderOnly, startStation, type Station } from './hardening-fixtures.js';

let station: Station;
let fifo: string;
beforeAll(async () => {
  station = await startStation({ limits: { jsonBytes: 1024 * 1024, maxSessions: 4, sessionIdleMs: 60_000 } });
  fifo = join(station.folder, 'image.fifo');
  execFileSync('mkfifo', [fifo]);
}, 180_000);
afterAll(() => station?.close());

const step = (image: unknown, extra: Record<string, unknown> = {}) => call(station.url, 'POST', '/execute', { pid: 'A01', step_index: 1, image, ...extra });

describe('1. image paths are read bounded', () => {
  it('/dev/zero as an image path is refused at once by kind (422, 3004), not read', async () => {
    const started = Date.now();
    const answer = await step({ path: '/dev/zero' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(answer.status).toBe(422);
    expect(answer.json.error).toMatchObject({ code: '3004', name: 'not_a_regular_file' });
    expect(answer.json.error.message).toMatch(/image\.path \/dev\/zero is a character device, not a regular file/);
  });

  it('a file larger than the body limit is refused from its size (413, 3005) without reading it', async () => {
    const big = join(station.folder, 'big.png');
    writeFileSync(big, '');
    truncateSync(big, 8 * 1024 * 1024 * 1024); // sparse 8 GiB
    const answer = await step({ path: big });
    expect(answer.status).toBe(413);
    expect(answer.json.error).toMatchObject({ code: '3005', name: 'file_too_large' });
    expect(answer.json.error.message).toContain('over the limit of 1048576 bytes');
  });
});

describe('2. FIFOs never hang a request', () => {
  it('a FIFO as an image path or POST /validate path is 422 naming the kind, and four of them stall nothing', async () => {
    const answers = await Promise.all([
      step({ path: fifo }),
      step({ path: fifo }),
      call(station.url, 'POST', '/validate', { path: fifo }),
      call(station.url, 'POST', '/packages', { path: fifo }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(422);
      expect(answer.json.error.code).toBe('3004');
      expect(answer.json.error.message).toMatch(/is a FIFO, not a regular file/);
    }
    expect((await call(station.url, 'GET', '/ready')).status).toBe(200);
    expect((await step(station.image)).json.status).toBe('OK');
  });
});

describe('4. sessions are capped and expire', () => {
  it('the session over the cap is 429 with Retry-After (3006); ending one makes room', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      const created = await call(station.url, 'POST', '/sessions', { pid: 'A01', context: { n: index } });
      expect(created.status).toBe(201);
      ids.push(created.json.session_id);
    }
    const refused = await call(station.url, 'POST', '/sessions', { pid: 'A01' });
    expect(refused.status).toBe(429);
    expect(refused.json.error).toMatchObject({ code: '3006', name: 'too_many_sessions' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    for (const id of ids) expect((await call(station.url, 'DELETE', `/sessions/${id}`)).status).toBe(200);
    expect((await call(station.url, 'POST', '/sessions', { pid: 'A01' })).status).toBe(201);
  });

  it('an idle session ends by itself', async () => {
    const quick = await startStation({ limits: { sessionIdleMs: 300 } });
    try {
      const created = await call(quick.url, 'POST', '/sessions', { pid: 'A01' });
      expect((await call(quick.url, 'GET', `/sessions/${created.json.session_id}`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 900));
      const gone = await call(quick.url, 'GET', `/sessions/${created.json.session_id}`);
      expect(gone.status).toBe(404);
      expect(gone.json.error.message).toMatch(/expired/);
    } finally {
      await quick.close();
    }
  }, 120_000);

  it('a context over the value limit is 422 (3007)', async () => {
    const answer = await call(station.url, 'POST', '/sessions', { pid: 'A01', context: { blob: 'x'.repeat(70 * 1024) } });
    expect(answer.status).toBe(422);
    expect(answer.json.error).toMatchObject({ code: '3007', name: 'json_too_complex' });
    expect(answer.json.error.message).toMatch(/^context is \d+ bytes as JSON, over the limit of 65536/);
  });
});

describe('5. a caller mistake is never a 500', () => {
  it('DELETE of a package that is not installed is 404 (2009)', async () => {
    const answer = await call(station.url, 'DELETE', '/packages/foo/1.0.0');
    expect(answer.status).toBe(404);
    expect(answer.json.error).toMatchObject({ code: '2009', name: 'package_not_installed' });
  });

  it('uploading an installed zip again is 409 (2010)', async () => {
    const answer = await call(station.url, 'POST', '/packages', new Uint8Array(readFileSync(station.zipPath)), { 'content-type': 'application/zip' });
    expect(answer.status).toBe(409);
    expect(answer.json.error).toMatchObject({ code: '2010', name: 'already_installed' });
  });

  it('POST /validate {"path": "/tmp"} is 422 naming a folder (3004)', async () => {
    const answer = await call(station.url, 'POST', '/validate', { path: '/tmp' });
    expect(answer.status).toBe(422);
    expect(answer.json.error.message).toMatch(/path \/tmp is a folder, not a regular file/);
  });

  it('a context nested 2,000 levels deep is 422 (3007) on /sessions and /execute', async () => {
    const deep = `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`;
    for (const [path, prefix] of [
      ['/sessions', '{"pid":"A01","context":'],
      ['/execute', `{"pid":"A01","step_index":1,"image":"${station.image}","context":`],
    ] as const) {
      const answer = await call(station.url, 'POST', path, `${prefix}${deep}}`, { 'content-type': 'application/json' });
      expect(answer.status, path).toBe(422);
      expect(answer.json.error).toMatchObject({ code: '3007' });
      expect(answer.json.error.message).toMatch(/deeper than 64 levels/);
    }
  });
});

describe('6. nothing leaks', () => {
  it('a secret file named as an image: neither its size nor its bytes come back', async () => {
    const secret = join(station.folder, 'shadow');
    writeFileSync(secret, 'root:$6$s3cr3t-hash:19000:0:99999:7:::\n');
    const answer = await step({ path: secret });
    expect(answer.status).toBe(422);
    expect(answer.json.error.code).toBe('1002');
    expect(answer.text).not.toContain(Buffer.from('root:$6$').toString('hex'));
    expect(answer.text).not.toMatch(/\b40 bytes|first bytes|726f6f74/);
  });

  it('error messages carry no absolute store or upload paths', async () => {
    const root = station.store.paths.root;
    const again = await call(station.url, 'POST', '/packages', new Uint8Array(readFileSync(station.zipPath)), { 'content-type': 'application/zip' });
    const damaged = await call(station.url, 'POST', '/packages', new Uint8Array(Buffer.from('PK\x03\x04 not really a zip')), {
      'content-type': 'application/zip',
    });
    const activate = await call(station.url, 'POST', '/packages/tiny-algo/9.9.9/activate', { pids: ['A01'] });
    for (const answer of [again, damaged, activate]) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.text).not.toContain(root);
      expect(answer.text).not.toContain(join(tmpdir(), 'procvision-http-'));
    }
    expect(activate.json.error.message).toContain('<store>');
  });
});

describe('7. pixel bombs', () => {
  it('a small PNG that decodes to 16000x16000 is refused from its header (422, 3008) before shared memory', async () => {
    const bomb = pngHeaderOnly(16_000, 16_000);
    const answer = await step(bomb.toString('base64'));
    expect(answer.status).toBe(422);
    expect(answer.json.error).toMatchObject({ code: '3008', name: 'image_too_large' });
    expect(answer.json.error.message).toMatch(/16000x16000 is 256000000 pixels, over the limit of 12582912/);
  });

  it('the default fits a 12-megapixel camera (4096x3072)', () => {
    expect(defaultServiceLimits.maxFramePixels).toBeGreaterThanOrEqual(4000 * 3000);
    expect(defaultServiceLimits.maxFramePixels).toBe(4096 * 3072);
  });

  it('the algorithm side never decodes more pixels than the frame header says', async () => {
    const writer = createFrameWriter({ slots: 1 });
    try {
      const frame = writer.write({ encoding: 'png', bytes: pngHeaderOnly(16_000, 16_000), width: 100, height: 100, timestampMs: Date.now(), cameraId: 'bomb' });
      const error = await readImage(frame.sharedMemId, frame.imageMeta).catch((caught: unknown) => caught as Error);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/pixel limit/i);
      writer.release(frame.slot);
    } finally {
      writer.close();
    }
  });
});

describe('9. smaller ones', () => {
  it('HEAD /health is 200 without a body', async () => {
    const response = await fetch(`${station.url}/health`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('a body without Content-Type is 415', async () => {
    const answer = await call(station.url, 'POST', '/sessions', new Uint8Array(Buffer.from('{"pid":"A01"}')));
    expect(answer.status).toBe(415);
    expect(answer.json.error.message).toMatch(/without Content-Type/);
  });
});

describe('slow clients', () => {
  it('a client that never finishes its headers is cut off after headersTimeoutMs (408)', async () => {
    const slow = createRunnerService({ packages: [], port: 0, limits: { headersTimeoutMs: 500, requestTimeoutMs: 1_000 }, logger: silentLogger });
    const url = new URL(await slow.listen());
    try {
      const { connect } = await import('node:net');
      const socket = connect(Number(url.port), url.hostname);
      const started = Date.now();
      const reply = await new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
        socket.write('GET /health HTTP/1.1\r\nHost: x\r\n'); // and never the blank line
      });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(reply).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      await slow.close();
    }
  });
});

describe('allowed roots', () => {
  it('with allowPaths, a path outside them (or escaping through a symlink) is 403 (3003); inside is served', async () => {
    const allowed = join(station.folder, 'allowed');
    mkdirSync(allowed);
    writeFileSync(join(allowed, 'part.png'), Buffer.from(station.image, 'base64'));
    symlinkSync(join(station.folder, 'shadow'), join(allowed, 'escape.png'));
    const restricted = createRunnerService({ packages: [], port: 0, allowPaths: [allowed], logger: silentLogger });
    const url = await restricted.listen();
    try {
      for (const path of [join(station.folder, 'shadow'), join(allowed, 'escape.png'), join(allowed, '..', 'shadow')]) {
        const answer = await call(url, 'POST', '/execute', { pid: 'A01', step_index: 1, image: { path } });
        expect(answer.status, path).toBe(403);
        expect(answer.json.error).toMatchObject({ code: '3003', name: 'path_not_allowed' });
      }
      const inside = await call(url, 'POST', '/execute', { pid: 'A01', step_index: 1, image: { path: join(allowed, 'part.png') } });
      expect(inside.json.error.code).toBe('1001'); // read fine; no package serves A01 here
    } finally {
      await restricted.close();
    }
  });
});

describe('8. start-up sweeps after a SIGKILLed predecessor', () => {
  it('removes its upload folder and shared-memory segments when the next service starts, before any step', async () => {
    const httpDist = new URL('../dist/http/index.js', import.meta.url).href;
    const shmDist = import.meta.resolve('@procvision/shm');
    const script = `
      const { createRunnerService } = await import(${JSON.stringify(httpDist)});
      const { createFrameWriter } = await import(${JSON.stringify(shmDist)});
      const service = createRunnerService({ packages: [], port: 0, logger: { log() {} } });
      await service.listen();
      const writer = createFrameWriter({ slots: 2, backend: 'mmap' });
      writer.write({ encoding: 'raw', pixels: new Uint8Array(12), channels: 3, width: 2, height: 2, colorSpace: 'RGB', timestampMs: 0, cameraId: 'x' });
      process.stdout.write('ready\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    const pid = child.pid!;
    const uploads = () =>
      readdirSync(tmpdir()).filter(
        (name) =>
          name.startsWith('procvision-http-') &&
          existsSync(join(tmpdir(), name, '.procvision-owner.json')) &&
          readFileSync(join(tmpdir(), name, '.procvision-owner.json'), 'utf8').includes(`"pid":${pid}`),
      );
    const segments = () => (existsSync('/dev/shm') ? readdirSync('/dev/shm').filter((name) => name.startsWith(`pv-${pid}-`)) : []);
    expect(uploads()).toHaveLength(1);
    const hadSegments = segments().length > 0;
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(uploads()).toHaveLength(1);
    const next = createRunnerService({ packages: [], port: 0, logger: silentLogger });
    await next.listen();
    try {
      expect(uploads()).toEqual([]);
      if (hadSegments) expect(segments()).toEqual([]);
    } finally {
      await next.close();
    }
  }, 30_000);
});
