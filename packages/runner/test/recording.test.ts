import { appendFileSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageStore, exportRecords, listRecords } from '../src/store/index.js';
import { createRunnerService, type RunnerService } from '../src/http/index.js';
import { workspaceAdapterStarter } from './hardening-fixtures.js';
import { buildTinyZip, temporaryFolder } from './store-fixtures/store-fixtures.js';

/** NG when the caller's `level` is above the version's default `threshold`. */
function thresholdAlgorithm(version: string, threshold: number): string {
  return `export class TinyAlgo {
  getInfo() {
    const params = [{ key: 'level', type: 'int', min: 0, max: 100, default: 0 }, { key: 'threshold', type: 'int', min: 0, max: 100, default: ${threshold} }];
    return { name: 'tiny-algo', version: '${version}', supported_pids: ['A01', 'A02'], steps: [{ index: 1, name: 'check', params }] };
  }
  preExecute() { return { status: 'OK', message: 'ready' }; }
  execute(step, pid, session, params) {
    return params.level > params.threshold
      ? { status: 'OK', data: { result_status: 'NG', ng_reason: 'level ' + params.level, defect_rects: [{ x: params.level, y: 1, width: 4, height: 4 }] } }
      : { status: 'OK', data: { result_status: 'OK' } };
  }
}
`;
}

const folder = temporaryFolder('procvision-recording-');
const maxBytes = 64 * 1024;
let storeRoot = '';
let image = '';
let store: PackageStore;
let service: RunnerService;
let url = '';

async function post(path: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

beforeAll(async () => {
  const zip = await buildTinyZip(folder.path, join(folder.path, 'zips'), {
    version: '1.0.0',
    withDependency: false,
    mainSource: thresholdAlgorithm('1.0.0', 50),
  });
  image = (
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } })
      .png()
      .toBuffer()
  ).toString('base64');
  storeRoot = join(folder.path, 'store');
  mkdirSync(storeRoot, { recursive: true });
  writeFileSync(join(storeRoot, 'config.json'), JSON.stringify({ recording: { A01: { mode: 'ng', max_bytes: maxBytes } } }));
  store = await PackageStore.open(storeRoot, { processStarter: workspaceAdapterStarter });
  await store.install(zip);
  await store.activate('tiny-algo', '1.0.0', ['A01', 'A02']);
  service = createRunnerService({ store, port: 0, logger: { log() {} } });
  url = await service.listen();
}, 180_000);

afterAll(async () => {
  await service?.close();
  folder.cleanup();
});

const segmentBytes = () => {
  const pidFolder = join(storeRoot, 'records', 'A01');
  if (!existsSync(pidFolder)) return 0;
  return readdirSync(pidFolder).reduce((sum, name) => sum + statSync(join(pidFolder, name)).size, 0);
};

describe('recording on the station (ng mode, byte cap)', () => {
  it('records NG steps only, the oldest go first, the byte cap holds', async () => {
    let ng = 0;
    for (let index = 0; index < 500; index += 1) {
      const level = (index * 37) % 101;
      if (level > 50) ng += 1;
      const answer = await post('/execute', { pid: 'A01', step_index: 1, image, user_params: { level }, context: { serial: `part-${index}` } });
      expect(answer.status).toBe(200);
      if (index % 50 === 0) expect(segmentBytes()).toBeLessThanOrEqual(maxBytes);
    }
    await post('/execute', { pid: 'A02', step_index: 1, image, user_params: { level: 99 } });
    const listing = (await (await fetch(`${url}/records?pid=A01&last=10000`)).json()) as any;
    expect(segmentBytes()).toBeLessThanOrEqual(maxBytes);
    const stats = listing.stats.A01;
    expect(stats.recorded).toBe(ng);
    expect(stats.skipped).toBe(500 - ng);
    expect(stats.dropped).toBe(0);
    expect(stats.segments_removed).toBeGreaterThan(0);
    const records = listing.records as Array<{ verdict: string; context: { serial: string }; user_params: { level: number } }>;
    expect(records.length).toBeGreaterThan(10);
    expect(records.length).toBeLessThan(ng);
    expect(records.every((record) => record.verdict === 'NG' && record.user_params.level > 50)).toBe(true);
    // the newest survive: the last NG step is the last record
    const lastNg = [...Array(500).keys()].filter((index) => (index * 37) % 101 > 50).at(-1);
    expect(records.at(-1)?.context.serial).toBe(`part-${lastNg}`);
    // A02 is not recorded
    expect(Object.keys(listing.stats)).toEqual(['A01']);
    const bad = await fetch(`${url}/records?since=yesterday`);
    expect(bad.status).toBe(400);
  }, 300_000);

  it('a torn last record (a crash mid-write) is skipped on read; export writes the eval layout', async () => {
    const pidFolder = join(storeRoot, 'records', 'A01');
    const before = await listRecords(join(storeRoot, 'records'), { pid: 'A01' });
    const newest = readdirSync(pidFolder).sort().at(-1) as string;
    // half a record: the prefix says 4000 bytes, 10 follow
    const torn = Buffer.alloc(26);
    torn.writeUInt32LE(0x31525650, 0);
    torn.writeUInt32LE(4000, 4);
    appendFileSync(join(pidFolder, newest), torn);
    const after = await listRecords(join(storeRoot, 'records'), { pid: 'A01' });
    expect(after.records.length).toBe(before.records.length);
    expect(after.torn_segments).toBe(1);
    const exported = await exportRecords(after.records, join(folder.path, 'golden'));
    expect(exported.ng).toBe(after.records.length);
    expect(readdirSync(join(folder.path, 'golden', 'ng')).length).toBe(after.records.length);
    const last = await listRecords(join(storeRoot, 'records'), { pid: 'A01', last: 3 });
    expect(last.records.map((record) => record.header.id)).toEqual(after.records.slice(-3).map((record) => record.header.id));
  });
});
