import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildStation, pngHeaderOnly, startChildStation } from './hardening-fixtures.js';

const files = mkdtempSync(join(tmpdir(), 'procvision-hostile-'));
let station: ChildStation;
beforeAll(async () => {
  execFileSync('mkfifo', [join(files, 'a.fifo')]);
  writeFileSync(join(files, 'shadow'), 'root:$6$hash:::\n');
  writeFileSync(join(files, 'big.png'), '');
  truncateSync(join(files, 'big.png'), 2 * 1024 * 1024 * 1024);
  station = await startChildStation({ maxSessions: 32, sessionIdleMs: 2_000, jsonBytes: 4 * 1024 * 1024 });
}, 180_000);
afterAll(async () => {
  await station?.close();
  rmSync(files, { recursive: true, force: true });
});

interface Answer {
  status: number;
  json: any;
}

async function send(method: string, path: string, body?: string, contentType: string | undefined = 'application/json'): Promise<Answer> {
  const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
  const response = await fetch(`${station.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  return { status: response.status, json: text.startsWith('{') ? JSON.parse(text) : undefined };
}

/** The hostile requests of the issue, each a function returning its answer. */
function hostileRequests(image: string): Array<() => Promise<Answer>> {
  const step = (imageField: unknown, extra = {}) => send('POST', '/execute', JSON.stringify({ pid: 'A01', step_index: 1, image: imageField, ...extra }));
  const deep = `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`;
  return [
    () => step({ path: '/dev/zero' }),
    () => step({ path: join(files, 'big.png') }),
    () => step({ path: join(files, 'a.fifo') }),
    () => send('POST', '/validate', JSON.stringify({ path: join(files, 'a.fifo') })),
    () => send('POST', '/validate', JSON.stringify({ path: '/tmp' })),
    () => step({ path: join(files, 'shadow') }),
    () => send('POST', '/sessions', `{"pid":"A01","context":${deep}}`),
    () => send('POST', '/execute', `{"pid":"A01","step_index":1,"image":"${image}","context":${deep}}`),
    () => send('POST', '/sessions', JSON.stringify({ pid: 'A01', context: { blob: 'x'.repeat(50 * 1024) } })),
    () => step(pngHeaderOnly(16_000, 16_000).toString('base64')),
    () => send('DELETE', '/packages/foo/1.0.0'),
    () => send('POST', '/packages', 'PK\u0003\u0004 not a zip', 'application/zip'),
    () => send('POST', '/sessions', '{"pid":"A01"}', undefined),
    () => send('HEAD', '/health', undefined, undefined),
    () => send('POST', '/execute', '{"pid":', 'application/json'),
  ];
}

describe('hostile load on 127.0.0.1', () => {
  it('valid steps mixed with hostile requests: no 500, every valid step OK, server RSS and fds back within 10%', async () => {
    const valid = JSON.stringify({ pid: 'A01', step_index: 1, image: station.image });
    const hostile = hostileRequests(station.image);
    let deadline = Date.now() + 4_000;
    const counts = { valid: 0, validOk: 0, hostile: 0, statuses: new Map<number, number>() };
    const failures: string[] = [];
    const worker = async (lane: number) => {
      let turn = lane;
      while (Date.now() < deadline) {
        turn += 1;
        if (turn % 3 === 0) {
          const answer = await send('POST', '/execute', valid);
          counts.valid += 1;
          if (answer.status === 200 && answer.json?.status === 'OK') counts.validOk += 1;
          else failures.push(`valid step -> ${answer.status} ${JSON.stringify(answer.json).slice(0, 200)}`);
        } else {
          const answer = await hostile[turn % hostile.length]!();
          counts.hostile += 1;
          counts.statuses.set(answer.status, (counts.statuses.get(answer.status) ?? 0) + 1);
          if (answer.status >= 500) failures.push(`hostile #${turn % hostile.length} -> ${answer.status} ${JSON.stringify(answer.json).slice(0, 200)}`);
        }
      }
    };
    const lanes = [0, 1, 2, 3, 4, 5];
    // A first round warms every path (JIT, heap, allocator arenas) and fills the session cap; then the baseline.
    await Promise.all(lanes.map(worker));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const start = await station.measure();
    Object.assign(counts, { valid: 0, validOk: 0, hostile: 0 });
    deadline = Date.now() + 15_000;
    // Sessions left open by the hostile ones expire (2 s idle) or hit the cap: 429, never 500.
    await Promise.all(lanes.map(worker));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const end = await station.measure();
    process.stderr.write(
      `hostile load: ${counts.valid} valid steps (${counts.validOk} OK), ${counts.hostile} hostile ${JSON.stringify(Object.fromEntries(counts.statuses))}; server rss ${(start.rss / 1e6).toFixed(0)} -> ${(end.rss / 1e6).toFixed(0)} MB, fds ${start.fds} -> ${end.fds}\n`,
    );
    expect(failures).toEqual([]);
    expect(counts.valid).toBeGreaterThan(20);
    expect(counts.validOk).toBe(counts.valid);
    expect(end.rss).toBeLessThanOrEqual(start.rss * 1.1);
    expect(end.fds).toBeLessThanOrEqual(Math.ceil(start.fds * 1.1));
  }, 60_000);
});
