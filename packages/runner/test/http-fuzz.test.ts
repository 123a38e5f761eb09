import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFrame, FrameDecoder, FrameError } from '@procvision/manifest/framing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildStation, startChildStation } from './hardening-fixtures.js';

const files = mkdtempSync(join(tmpdir(), 'procvision-fuzz-'));
const fifo = join(files, 'fuzz.fifo');
const secret = join(files, 'secret');
const hostilePaths = [
  '/dev/zero',
  '/dev/urandom',
  '/dev/null',
  fifo,
  secret,
  files,
  '/tmp',
  '/etc/shadow',
  '/proc/self/mem',
  '../../../../etc/passwd',
  'relative.png',
  '\u0000',
  '',
  '/nonexistent/x.png',
  `${files}/../../`,
  '/dev/stdin',
];

let station: ChildStation;
beforeAll(async () => {
  execFileSync('mkfifo', [fifo]);
  writeFileSync(secret, 'top secret bytes');
  // Sessions the fuzz opens (bounded state, not a leak) expire after 1 s idle, before each measurement.
  station = await startChildStation({ jsonBytes: 512 * 1024, maxSessions: 64, sessionIdleMs: 1_000 });
}, 180_000);
afterAll(async () => {
  await station?.close();
  rmSync(files, { recursive: true, force: true });
});

/** Routes that take a body, plus a few that do not (a body must not confuse them). */
const routes: Array<[string, string]> = [
  ['POST', '/sessions'],
  ['POST', '/execute'],
  ['POST', '/sessions/{session}/steps'],
  ['POST', '/sessions/{session}/reset'],
  ['POST', '/validate'],
  ['POST', '/packages'],
  ['POST', '/packages/tiny-algo/1.0.0/activate'],
  ['POST', '/packages/{name}/{version}/activate'],
  ['POST', '/switch'],
  ['POST', '/rollback'],
  ['DELETE', '/packages/{name}/{version}'],
  ['GET', '/sessions/{session}'],
  ['DELETE', '/sessions/{session}'],
  ['GET', '/ready'],
  ['HEAD', '/health'],
];

function hostileValue(): fc.Arbitrary<unknown> {
  const paths = fc.constantFrom(...hostilePaths);
  const deep = fc.integer({ min: 1, max: 3000 }).map((depth) => JSON.parse(`${'['.repeat(Math.min(depth, 60))}1${']'.repeat(Math.min(depth, 60))}`));
  return fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.string(),
    fc.record({ path: fc.oneof(paths, fc.string()) }),
    fc.base64String({ maxLength: 200 }),
    deep,
    fc.constant({ __proto__: { polluted: true } }),
    fc.constant({ constructor: { prototype: { polluted: true } } }),
    fc.integer(),
    fc.double(),
  );
}

/** Body shapes: valid-looking requests with one field hostile, raw garbage, deep nesting, wrong types. */
const bodyArbitrary = fc.oneof(
  fc
    .record(
      {
        pid: fc.oneof(fc.constant('A01'), fc.string(), hostileValue()),
        step_index: fc.oneof(fc.constant(1), fc.integer(), fc.double(), hostileValue()),
        image: fc.oneof(
          fc.constant('STATION_IMAGE'),
          fc.record({ path: fc.constantFrom(...['/dev/zero', '/tmp', '/etc/shadow', '/dev/null', '\u0000']) }),
          hostileValue(),
        ),
        image_meta: hostileValue(),
        user_params: hostileValue(),
        context: hostileValue(),
        pids: fc.oneof(fc.constant(['A01']), fc.array(fc.string(), { maxLength: 5 }), hostileValue()),
        name: fc.oneof(fc.constant('tiny-algo'), fc.string()),
        version: fc.oneof(fc.constant('1.0.0'), fc.string()),
        path: fc.oneof(fc.constant(''), fc.string()),
      },
      { requiredKeys: [] },
    )
    .map((body) => JSON.stringify(body)),
  fc.string({ maxLength: 300 }),
  fc.integer({ min: 1, max: 5000 }).map((depth) => `{"pid":"A01","context":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`),
  fc.integer({ min: 1, max: 5000 }).map((depth) => '['.repeat(depth)),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.constant('PK\u0003\u0004garbage'),
  fc.constant(''),
);

const contentTypeArbitrary = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/zip',
  'application/octet-stream',
  'text/plain',
  'multipart/form-data; boundary=x',
  '',
  'APPLICATION/JSON',
  'application/json;;;',
);

const segmentArbitrary = fc.oneof(
  fc.constantFrom('tiny-algo', '1.0.0', 'foo', '..', '%2e%2e', '%00', '%E0%A4%A', 'x'.repeat(300)),
  fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent),
);

describe('fuzz: hostile HTTP request bodies', () => {
  it('thousands of generated requests: never a 500, the service keeps serving, no fd or RSS growth', async () => {
    const warmup = async () => {
      for (let index = 0; index < 50; index += 1)
        await fetch(`${station.url}/execute`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ pid: 'A01', step_index: 1, image: station.image }),
        }).then((r) => r.text());
    };
    await warmup();
    const statuses = new Map<number, number>();
    const session = (await (
      await fetch(`${station.url}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"pid":"A01"}' })
    ).json()) as { session_id: string };
    const property = fc.asyncProperty(
      fc.constantFrom(...routes),
      bodyArbitrary,
      contentTypeArbitrary,
      segmentArbitrary,
      segmentArbitrary,
      async ([method, pattern], body, contentType, name, version) => {
        const path = pattern.replace('{session}', session.session_id).replace('{name}', name).replace('{version}', version);
        const headers: Record<string, string> = contentType === '' ? {} : { 'content-type': contentType };
        const init: RequestInit = { method, headers, signal: AbortSignal.timeout(20_000) };
        if (method !== 'GET' && method !== 'HEAD') init.body = body.replace('"STATION_IMAGE"', JSON.stringify(station.image));
        const response = await fetch(`${station.url}${path}`, init);
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500 && response.status !== 503)
          throw new Error(`${method} ${path} ${contentType} -> ${response.status}: ${text.slice(0, 300)}\nbody: ${body.slice(0, 200)}`);
        expect(text).not.toContain('top secret bytes');
      },
    );
    // A first run warms every code path (JIT, heap, allocator arenas); the second must not grow.
    await fc.assert(property, { numRuns: 500 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const before = await station.measure();
    await fc.assert(property, { numRuns: 2500 });
    // Still serving valid work afterwards.
    const ok = await fetch(`${station.url}/execute`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pid: 'A01', step_index: 1, image: station.image }),
    });
    expect(((await ok.json()) as { status: string }).status).toBe('OK');
    await warmup();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = await station.measure();
    process.stderr.write(
      `fuzz statuses ${JSON.stringify(Object.fromEntries(statuses))}; server fds ${before.fds} -> ${after.fds}; server rss ${(before.rss / 1e6).toFixed(0)} -> ${(after.rss / 1e6).toFixed(0)} MB\n`,
    );
    expect(after.fds).toBeLessThanOrEqual(before.fds + 2);
    expect(after.rss).toBeLessThan(before.rss * 1.1);
  }, 240_000);
});

describe('fuzz: the frame codec', () => {
  it('round-trips any messages split into any chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
        (messages, cuts) => {
          const stream = Buffer.concat(messages.map((message) => encodeFrame(message)));
          const decoder = new FrameDecoder();
          const decoded: unknown[] = [];
          let offset = 0;
          let cut = 0;
          while (offset < stream.length) {
            const size = cuts[cut++ % cuts.length]!;
            decoded.push(...decoder.push(stream.subarray(offset, offset + size)));
            offset += size;
          }
          expect(decoded).toEqual(JSON.parse(JSON.stringify(messages)));
          expect(decoder.bufferedBytes).toBe(0);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('hostile bytes only ever yield messages or a FrameError, and never buffer past the limit', () => {
    const maxFrameBytes = 4096;
    const hostileFrame = fc.oneof(
      fc.uint8Array({ maxLength: 256 }),
      fc.integer({ min: 0, max: 0xffffffff }).map((length) => {
        const header = Buffer.alloc(4);
        header.writeUInt32BE(length);
        return new Uint8Array(header);
      }),
      fc.integer({ min: 1, max: 20_000 }).map((depth) => new Uint8Array(encodeRaw(`${'['.repeat(depth)}${']'.repeat(depth)}`))),
      fc.string({ maxLength: 100 }).map((text) => new Uint8Array(encodeRaw(text))),
      fc.uint8Array({ maxLength: 100 }).map((bytes) => new Uint8Array(encodeRawBytes(Buffer.from(bytes)))),
    );
    fc.assert(
      fc.property(fc.array(hostileFrame, { minLength: 1, maxLength: 8 }), (chunks) => {
        const decoder = new FrameDecoder({ maxFrameBytes });
        for (const chunk of chunks) {
          try {
            for (const message of decoder.push(chunk)) expect(typeof message).toBe('object');
          } catch (error) {
            expect(error).toBeInstanceOf(FrameError);
          }
          expect(decoder.bufferedBytes).toBeLessThanOrEqual(maxFrameBytes + 4);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

function encodeRaw(text: string): Buffer {
  return encodeRawBytes(Buffer.from(text, 'utf8'));
}

function encodeRawBytes(body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  return Buffer.concat([header, body]);
}
