import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStatusOfErrorCode } from '../src/http/index.js';
import { call, pngHeaderOnly, startStation, type Station } from './hardening-fixtures.js';

let station: Station;
let session = '';
const files = { fifo: '', text: '', missing: '' };
beforeAll(async () => {
  station = await startStation({ limits: { zipBytes: 1024 * 1024 } });
  files.fifo = join(station.folder, 'table.fifo');
  execFileSync('mkfifo', [files.fifo]);
  files.text = join(station.folder, 'notes.txt');
  writeFileSync(files.text, 'not an image');
  files.missing = join(station.folder, 'missing.png');
  session = (await call(station.url, 'POST', '/sessions', { pid: 'A01' })).json.session_id;
}, 180_000);
afterAll(() => station?.close());

type Body = unknown | (() => unknown);
interface Row {
  bad: string;
  body?: Body;
  headers?: Record<string, string>;
  status: number;
  code?: string;
}

const deep = (prefix: string) => `${prefix}${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`;
const json = { 'content-type': 'application/json' };
const image = () => station.image;
const stepBody = (extra: Record<string, unknown>) => () => ({ step_index: 1, image: image(), ...extra });
const executeBody = (extra: Record<string, unknown>) => () => ({ pid: 'A01', step_index: 1, image: image(), ...extra });

/** Every route with each bad input of the issue and the status the one table gives it. */
const table: Record<string, Row[]> = {
  'POST /sessions': [
    { bad: 'a body without Content-Type', body: '{"pid":"A01"}', status: 415 },
    { bad: 'invalid JSON', body: '{"pid":', headers: json, status: 400, code: '1006' },
    { bad: 'no pid', body: {}, status: 400, code: '1006' },
    { bad: 'a pid no package serves', body: { pid: 'Z99' }, status: 422, code: '1001' },
    { bad: 'a context 2,000 levels deep', body: deep('{"pid":"A01","context":'), headers: json, status: 422, code: '3007' },
    { bad: 'a context over 64 KiB', body: { pid: 'A01', context: { blob: 'x'.repeat(70_000) } }, status: 422, code: '3007' },
  ],
  'GET /sessions/:id': [{ bad: 'an unknown session', status: 404 }],
  'POST /sessions/:id/steps': [
    { bad: 'an unknown session (path unknown)', status: 404 },
    { bad: 'a step_index that is not a positive integer', body: stepBody({ step_index: -1 }), status: 400, code: '1006' },
    { bad: 'image.path /dev/zero', body: stepBody({ image: { path: '/dev/zero' } }), status: 422, code: '3004' },
    { bad: 'image.path a FIFO', body: () => ({ step_index: 1, image: { path: files.fifo } }), status: 422, code: '3004' },
    { bad: 'image.path a folder', body: stepBody({ image: { path: '/tmp' } }), status: 422, code: '3004' },
    { bad: 'image.path missing', body: () => ({ step_index: 1, image: { path: files.missing } }), status: 422, code: '1002' },
    { bad: 'image.path not an image', body: () => ({ step_index: 1, image: { path: files.text } }), status: 422, code: '1002' },
    { bad: 'a 16000x16000 pixel bomb', body: stepBody({ image: pngHeaderOnly(16_000, 16_000).toString('base64') }), status: 422, code: '3008' },
    { bad: 'image not Base64', body: stepBody({ image: '***' }), status: 400, code: '1006' },
    {
      bad: 'user_params 2,000 levels deep',
      body: () => `{"step_index":1,"image":"${image()}","user_params":${'['.repeat(2000)}${']'.repeat(2000)}}`,
      headers: json,
      status: 422,
      code: '3007',
    },
  ],
  'POST /sessions/:id/reset': [{ bad: 'an unknown session', status: 404 }],
  'DELETE /sessions/:id': [{ bad: 'an unknown session', status: 404 }],
  'POST /execute': [
    { bad: 'a body without Content-Type', body: () => JSON.stringify(executeBody({})()), status: 415 },
    { bad: 'a pid no package serves', body: executeBody({ pid: 'Z99' }), status: 422, code: '1001' },
    { bad: 'image.path /dev/zero', body: executeBody({ image: { path: '/dev/zero' } }), status: 422, code: '3004' },
    {
      bad: 'a context 2,000 levels deep',
      body: () => deep(`{"pid":"A01","step_index":1,"image":"${image()}","context":`),
      headers: json,
      status: 422,
      code: '3007',
    },
    { bad: 'a 16000x16000 pixel bomb', body: executeBody({ image: pngHeaderOnly(16_000, 16_000).toString('base64') }), status: 422, code: '3008' },
  ],
  'POST /validate': [
    { bad: 'path /tmp (a folder)', body: { path: '/tmp' }, status: 422, code: '3004' },
    { bad: 'path a FIFO', body: () => ({ path: files.fifo }), status: 422, code: '3004' },
    { bad: 'path missing', body: () => ({ path: files.missing }), status: 422, code: '2001' },
    {
      bad: 'damaged zip bytes',
      body: new Uint8Array(Buffer.from('PK\u0003\u0004 nope')),
      headers: { 'content-type': 'application/zip' },
      status: 422,
      code: '2001',
    },
    { bad: 'a media type it does not take', body: 'x', headers: { 'content-type': 'text/plain' }, status: 415 },
    { bad: 'an upload over the zip limit', body: new Uint8Array(2 * 1024 * 1024), headers: { 'content-type': 'application/zip' }, status: 413 },
  ],
  'POST /packages': [
    { bad: 'an installed zip again', body: () => ({ path: station.zipPath }), status: 409, code: '2010' },
    { bad: 'path a FIFO', body: () => ({ path: files.fifo }), status: 422, code: '3004' },
    {
      bad: 'damaged zip bytes',
      body: new Uint8Array(Buffer.from('PK\u0003\u0004 nope')),
      headers: { 'content-type': 'application/zip' },
      status: 422,
      code: '2001',
    },
    { bad: 'no path', body: {}, status: 400, code: '1006' },
  ],
  'POST /packages/:name/:version/activate': [
    { bad: 'a version that is not installed', body: { pids: ['A01'] }, status: 404, code: '2009' },
    { bad: 'no pids', body: { pids: [] }, status: 400, code: '1006' },
  ],
  'DELETE /packages/:name/:version': [{ bad: 'a package that is not installed', status: 404, code: '2009' }],
  'POST /switch': [
    { bad: 'a version that is not installed', body: { name: 'tiny-algo', version: '9.9.9', pids: ['A01'] }, status: 404, code: '2009' },
    { bad: 'no name', body: { version: '1', pids: ['A01'] }, status: 400, code: '1006' },
  ],
  'POST /rollback': [{ bad: 'no pids', body: { name: 'tiny-algo', pids: [] }, status: 400, code: '1006' }],
  'GET /no/such/route': [{ bad: 'an unknown path', status: 404 }],
  'PUT /sessions': [{ bad: 'a method the route does not take', status: 405 }],
};

function pathOf(route: string, bad: string): string {
  const path = route.split(' ')[1]!;
  if (path.includes(':id')) return path.replace(':id', bad.includes('unknown') ? 'no-such-session' : session);
  return path.replace(':name', 'ghost').replace(':version', '9.9.9');
}

describe('one status table: every route, every bad input', () => {
  for (const [route, rows] of Object.entries(table)) {
    it(`${route}: ${rows.map((row) => `${row.bad} -> ${row.status}`).join('; ')}`, async () => {
      const method = route.split(' ')[0]!;
      for (const row of rows) {
        const body = typeof row.body === 'function' ? (row.body as () => unknown)() : row.body;
        const answer = await call(station.url, method, pathOf(route, row.bad), body, row.headers);
        expect(answer.status, `${route} with ${row.bad}: ${answer.text.slice(0, 300)}`).toBe(row.status);
        if (row.code !== undefined) expect(answer.json.error.code, `${route} with ${row.bad}`).toBe(row.code);
        if (row.code !== undefined) expect(httpStatusOfErrorCode[row.code as keyof typeof httpStatusOfErrorCode]).toBe(row.status);
      }
    });
  }
});
