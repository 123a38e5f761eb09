import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunnerClient } from '../src/client/index.js';
import { PackageStore, listRecords } from '../src/store/index.js';
import { createRunnerService, type RunnerService } from '../src/http/index.js';
import { call, thresholdAlgorithm, workspaceAdapterStarter } from './hardening-fixtures.js';
import { buildTinyZip, temporaryFolder } from './store-fixtures/store-fixtures.js';

// 1.0.0 answers NG above level 50, 1.1.0 above level 70: levels 51..70 flip NG -> OK.
const folder = temporaryFolder('procvision-replay-');
let store: PackageStore;
let service: RunnerService;
let client: RunnerClient;
let url = '';
let image = '';

const level = (index: number) => (index * 37) % 101;
const activeVerdict = (value: number) => (value > 50 ? 'NG' : 'OK');
const candidateVerdict = (value: number) => (value > 70 ? 'NG' : 'OK');

/** The confusion table (active/recorded x candidate) the two thresholds give for these levels. */
function expectedTable(levels: readonly number[]) {
  const table = { OK: { OK: 0, NG: 0, ERROR: 0 }, NG: { OK: 0, NG: 0, ERROR: 0 }, ERROR: { OK: 0, NG: 0, ERROR: 0 } };
  for (const value of levels) table[activeVerdict(value)][candidateVerdict(value)] += 1;
  return table;
}

async function step(index: number): Promise<string> {
  const answer = await call(url, 'POST', '/execute', {
    pid: 'A01',
    step_index: 1,
    image,
    user_params: { level: level(index) },
    context: { serial: `part-${index}` },
  });
  expect(answer.status).toBe(200);
  return answer.json.result_status as string;
}

beforeAll(async () => {
  const zips = join(folder.path, 'zips');
  const first = await buildTinyZip(folder.path, zips, { version: '1.0.0', withDependency: false, mainSource: thresholdAlgorithm('1.0.0', 50) });
  const second = await buildTinyZip(folder.path, zips, { version: '1.1.0', withDependency: false, mainSource: thresholdAlgorithm('1.1.0', 70) });
  image = (
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } })
      .png()
      .toBuffer()
  ).toString('base64');
  const root = join(folder.path, 'store');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'config.json'), JSON.stringify({ recording: { A01: { mode: 'all', max_bytes: 64 * 1024 * 1024 } } }));
  store = await PackageStore.open(root, { processStarter: workspaceAdapterStarter });
  await store.install(first);
  await store.install(second);
  await store.activate('tiny-algo', '1.0.0', ['A01']);
  service = createRunnerService({ store, port: 0, logger: { log() {} } });
  url = await service.listen();
  client = new RunnerClient({ url });
}, 180_000);

afterAll(async () => {
  await service?.close();
  await store?.close();
  folder.cleanup();
});

describe('replay: recorded frames through an installed version of its own', () => {
  it('counts exactly the steps whose verdict the threshold flips; the active process is untouched', async () => {
    for (let index = 0; index < 120; index += 1) expect(await step(index)).toBe(activeVerdict(level(index)));
    const activeOsPid = (await store.processFor('A01')).processId;
    const replay = await client.replay({ name: 'tiny-algo', version: '1.1.0', pid: 'A01', last: 10_000 });
    const levels = [...Array(120).keys()].map(level);
    expect(replay.records).toBe(120);
    expect(replay.confusion.recorded).toEqual(expectedTable(levels));
    expect(replay.disagreements).toBe(levels.filter((value) => value > 50 && value <= 70).length);
    expect(replay.passed).toBe(false);
    expect(replay.candidate).toEqual({ name: 'tiny-algo', version: '1.1.0' });
    expect(replay.recorded).toEqual([{ name: 'tiny-algo', version: '1.0.0', records: 120 }]);
    // each flipped step lost its defect rect; the kept NG rects match
    expect(replay.rects.lost).toBe(replay.disagreements);
    expect(replay.rects.matched).toBe(levels.filter((value) => value > 70).length);
    expect(replay.changed.every((changed) => changed.recorded.verdict === 'NG' && changed.candidate.verdict === 'OK')).toBe(true);
    expect(replay.step_ms.candidate.count).toBe(120);
    // the same version passes; max_disagreements sets passed
    expect((await client.replay({ name: 'tiny-algo', version: '1.0.0', pid: 'A01', last: 50 })).disagreements).toBe(0);
    expect((await client.replay({ name: 'tiny-algo', version: '1.1.0', last: 10_000, max_disagreements: 1000 })).passed).toBe(true);
    expect((await store.processFor('A01')).processId).toBe(activeOsPid);
    expect(await step(7)).toBe(activeVerdict(level(7)));
  }, 240_000);

  it('refuses bad requests with the field named, an unknown version with 2009', async () => {
    const bad = await call(url, 'POST', '/replay', { name: 'tiny-algo', version: '1.1.0', last: 0 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('last');
    expect((await call(url, 'POST', '/replay', { name: 'tiny-algo', version: '1.1.0', since: 'yesterday' })).status).toBe(400);
    const missing = await call(url, 'POST', '/replay', { name: 'tiny-algo', version: '9.9.9' });
    expect(missing.json.error.code).toBe('2009');
  });
});

describe('shadow runs: a candidate on the live frames', () => {
  it('changes no answer; its counters equal a replay of the same frames; disagreements are recorded for replay', async () => {
    const started = await client.startShadow({ name: 'tiny-algo', version: '1.1.0', pid: 'A01', queue: 4096 });
    expect(started.shadow).toMatchObject({ pid: 'A01', candidate: { version: '1.1.0' }, compared: 0, queue_limit: 4096 });
    const again = await call(url, 'POST', '/shadow', { name: 'tiny-algo', version: '1.1.0', pid: 'A01' });
    expect(again.json.error.code).toBe('2006');
    const levels: number[] = [];
    for (let index = 200; index < 400; index += 1) {
      levels.push(level(index));
      expect(await step(index)).toBe(activeVerdict(level(index)));
    }
    const { shadows } = await client.shadows();
    expect(shadows).toHaveLength(1);
    const shadow = shadows[0]!;
    expect(shadow.dropped).toBe(0);
    expect(shadow.compared).toBe(200);
    expect(shadow.last_error).toBeNull();
    expect(shadow.confusion.active).toEqual(expectedTable(levels));
    const replay = await client.replay({ name: 'tiny-algo', version: '1.1.0', pid: 'A01', last: 200 });
    expect(replay.confusion.recorded).toEqual(shadow.confusion.active);
    const metrics = await client.metrics();
    expect(metrics).toContain(`procvision_shadow_steps_total{pid="A01",active="NG",candidate="OK"} ${shadow.disagreements}`);
    expect(metrics).toMatch(/procvision_records_written_total\{pid="A01"\} \d+/);
    const stopped = await client.stopShadow('A01');
    expect(stopped.shadow.compared).toBe(200);
    expect((await client.shadows()).shadows).toEqual([]);
    const recorded = await listRecords(join(store.paths.root, 'shadow-records'), { pid: 'A01' });
    expect(recorded.records).toHaveLength(shadow.disagreements);
    const shadowReplay = await client.replay({ name: 'tiny-algo', version: '1.1.0', pid: 'A01', shadow: true, last: 10_000 });
    expect(shadowReplay.disagreements).toBe(shadow.disagreements);
    expect((await call(url, 'DELETE', '/shadow/A01')).status).toBe(400);
  }, 240_000);

  it('drops and counts frames when the candidate is behind, never holding up a step', async () => {
    await client.startShadow({ name: 'tiny-algo', version: '1.1.0', pid: 'A01', queue: 1 });
    const answers = await Promise.all([...Array(40).keys()].map((index) => step(index)));
    expect(answers).toEqual([...Array(40).keys()].map((index) => activeVerdict(level(index))));
    const shadow = (await client.shadows()).shadows[0]!;
    expect(shadow.compared + shadow.dropped).toBe(40);
    expect(shadow.dropped).toBeGreaterThan(0);
    await client.stopShadow('A01');
  }, 120_000);
});
