import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunnerClient } from '@procvision/runner/client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';
import { type Served, serveStation, stopStation } from './fleet-helpers.js';

// The scaffold's dark-spot detector: a uniform grey part is NG when its grey is below the
// version's default dark_threshold. 1.0.0 (60) and 1.1.0 (40) disagree on greys 40..59.
const greys = [20, 30, 45, 50, 55, 70, 90, 120] as const;
const thresholds = { '1.0.0': 60, '1.1.0': 40 } as const;
const verdictOf = (grey: number, version: keyof typeof thresholds) => (grey < thresholds[version] ? 'NG' : 'OK');
/** Every 25th step asks for a dark_threshold out of range: an ERROR (1006) in both versions. */
const isError = (index: number) => index % 25 === 24;
const greyOf = (index: number) => greys[(index * 5) % greys.length]!;
const maxBytes = 64 * 1024;

type Table = Record<'OK' | 'NG' | 'ERROR', Record<'OK' | 'NG' | 'ERROR', number>>;
const emptyTable = (): Table => ({ OK: { OK: 0, NG: 0, ERROR: 0 }, NG: { OK: 0, NG: 0, ERROR: 0 }, ERROR: { OK: 0, NG: 0, ERROR: 0 } });

/** Packages the scaffold at `version` with that version's default dark_threshold. */
async function packageAt(project: string, out: string, version: keyof typeof thresholds): Promise<string> {
  for (const file of ['manifest.json', 'package.json', 'src/main.ts']) {
    const path = join(project, file);
    let text = (await readFile(path, 'utf8')).replace(/"\d+\.\d+\.\d+"/, `"${version}"`);
    if (file === 'src/main.ts') text = text.replace(/default: \d+,/, `default: ${thresholds[version]},`);
    await writeFile(path, text);
  }
  const packaged = await runCli(['package', project, '-o', out, '--json']);
  if (packaged.code !== 0) throw new Error(`package ${version} failed: ${packaged.stderr}`);
  return packaged.json<{ zips: Array<{ path: string }> }>().zips[0]!.path;
}

const segmentBytes = (folder: string) => (existsSync(folder) ? readdirSync(folder).reduce((sum, name) => sum + statSync(join(folder, name)).size, 0) : 0);

describe('record on the station, SIGKILL, export, replay and shadow through a second version (a real runner service)', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let store = '';
  let tokenFile = '';
  const token = `replay-token-${Math.random().toString(36).slice(2)}`;
  let station: Served | undefined;
  const images = new Map<number, Buffer>();

  const client = () => new RunnerClient({ url: station!.url, token });
  /** One step through the service; its verdict (a step refused for its params, 400 1006, is an ERROR). */
  const step = async (index: number, pid = 'A01'): Promise<string> => {
    try {
      const answer = await client().execute({
        pid,
        step_index: 1,
        image: images.get(greyOf(index))!,
        context: { serial: `part-${index}`, grey: greyOf(index) },
        ...(isError(index) ? { user_params: { dark_threshold: 999 } } : {}),
      });
      return answer.status === 'OK' ? answer.result_status! : 'ERROR';
    } catch (error) {
      if ((error as { status?: number; code?: string }).code === '1006') return 'ERROR';
      throw error;
    }
  };

  beforeAll(async () => {
    folder = await temporaryFolder('replay');
    const project = await scaffold(folder.path, 'replaydemo', 'A01,A02');
    const zips = { first: await packageAt(project, join(folder.path, 'zips'), '1.0.0'), second: await packageAt(project, join(folder.path, 'zips'), '1.1.0') };
    for (const grey of greys)
      images.set(
        grey,
        await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: grey, g: grey, b: grey } } })
          .png()
          .toBuffer(),
      );
    store = join(folder.path, 'store');
    await mkdir(store, { recursive: true });
    await writeFile(
      join(store, 'config.json'),
      JSON.stringify({ recording: { A01: { mode: 'ng', max_bytes: maxBytes }, A02: { mode: 'all', max_bytes: 64 * 1024 * 1024 } } }),
    );
    for (const zip of [zips.first, zips.second]) {
      const installed = await runCli(['runner', 'install', zip, '--store', store, '--json']);
      if (installed.code !== 0) throw new Error(`install: ${installed.stderr}`);
    }
    const activated = await runCli(['runner', 'activate', 'replaydemo', '1.0.0', '--pid', 'A01,A02', '--store', store, '--json']);
    if (activated.code !== 0) throw new Error(`activate: ${activated.stderr}`);
    tokenFile = join(folder.path, 'station.token');
    await writeFile(tokenFile, `${token}\n`);
    station = await serveStation(store, tokenFile, token);
  }, 600_000);

  // The service drains in-flight work before it exits (up to its 30 s shutdown timeout).
  afterAll(async () => {
    if (station !== undefined) await stopStation(station);
    await folder?.remove();
  }, 120_000);

  it('500 steps in ng mode under a 64 KiB cap, SIGKILL mid-write, restart; export; the replay counts exactly the flipped verdicts', async () => {
    const answered = new Map<number, string>();
    const check = async (index: number) => {
      const expected = isError(index) ? 'ERROR' : verdictOf(greyOf(index), '1.0.0');
      expect(await step(index)).toBe(expected);
      answered.set(index, expected);
    };
    const pidFolder = join(store, 'records', 'A01');
    for (let index = 0; index < 300; index += 1) {
      await check(index);
      if (index % 50 === 0) expect(segmentBytes(pidFolder)).toBeLessThanOrEqual(maxBytes);
    }
    // 40 steps in flight, the service killed under them
    const inFlight = [...Array(40).keys()].map((offset) => step(300 + offset).catch(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const killed = new Promise((resolve) => station!.child.once('exit', resolve));
    station!.child.kill('SIGKILL');
    await Promise.all([killed, ...inFlight]);
    station = await serveStation(store, tokenFile, token);
    for (let index = 340; index < 500; index += 1) await check(index);
    expect(segmentBytes(pidFolder)).toBeLessThanOrEqual(maxBytes);

    const listed = await runCli(['runner', 'records', '--store', store, '--pid', 'A01', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const { records, torn_segments: torn } = listed.json<{
      records: Array<{ verdict: string; at: string; context: { serial: string; grey: number } }>;
      torn_segments: number;
    }>();
    expect(torn).toBeLessThanOrEqual(1);
    expect(records.length).toBeGreaterThan(20);
    expect(records.every((record) => record.verdict !== 'OK')).toBe(true);
    // the oldest went first: the newest NG/ERROR step answered is the last record, and the first steps are gone
    const lastKept = [...answered].filter(([, verdict]) => verdict !== 'OK').at(-1)![0];
    expect(records.at(-1)!.context.serial).toBe(`part-${lastKept}`);
    expect(records.some((record) => record.context.serial === 'part-0')).toBe(false);
    expect([...records.map((record) => record.at)].sort()).toEqual(records.map((record) => record.at));
    const remote = await runCli(['runner', 'records', '--url', station!.url, '--token-file', tokenFile, '--pid', 'A01', '--last', '10000', '--json']);
    expect(remote.code, remote.stderr).toBe(0);
    expect(remote.json<{ records: unknown[] }>().records).toHaveLength(records.length);

    const golden = join(folder.path, 'golden');
    const exported = await runCli(['runner', 'records', 'export', golden, '--store', store, '--pid', 'A01', '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    const errors = records.filter((record) => record.verdict === 'ERROR').length;
    expect(exported.json()).toMatchObject({ ok: 0, ng: records.length - errors, left_out: errors });

    // what the threshold change flips, from the recorded greys
    const expected = emptyTable();
    for (const record of records) {
      const verdict = record.verdict as 'NG' | 'ERROR';
      expected[verdict][verdict === 'ERROR' ? 'ERROR' : verdictOf(record.context.grey, '1.1.0')] += 1;
    }
    const flipped = expected.NG.OK;
    const replayA01 = (extra: string[]) => runCli(['runner', 'replay', 'replaydemo', '1.1.0', '--pid', 'A01', '--last', '10000', ...extra]);
    expect(flipped).toBeGreaterThan(0);
    const report = join(folder.path, 'replay-report');
    const replay = await replayA01(['--store', store, '--report', report, '--json']);
    expect(replay.code, replay.stderr).toBe(1);
    const document = replay.json<{
      records: number;
      confusion: { recorded: Table };
      disagreements: number;
      changed: unknown[];
      rects: { lost: number };
      passed: boolean;
    }>();
    expect(document.records).toBe(records.length);
    expect(document.confusion.recorded).toEqual(expected);
    expect(document.disagreements).toBe(flipped);
    expect(document.rects.lost).toBeGreaterThanOrEqual(flipped);
    expect(readdirSync(join(report, 'changed')).filter((name) => name.endsWith('-candidate.png'))).toHaveLength(document.changed.length);
    expect(await readFile(join(report, 'index.html'), 'utf8')).toContain(`${flipped} disagreement(s)`);
    const allowed = await replayA01(['--store', store, '--max-disagreements', String(flipped)]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain(`${flipped} disagreement(s)`);
    // the same through the station's service
    const viaService = await replayA01(['--url', station!.url, '--token-file', tokenFile, '--json']);
    expect(viaService.code, viaService.stderr).toBe(1);
    expect(viaService.json<{ confusion: { recorded: Table } }>().confusion.recorded).toEqual(expected);
  }, 900_000);

  it('a shadow run over 1,000 live steps changes no answer; its counters equal a replay of the same frames', async () => {
    const flags = ['--url', station!.url, '--token-file', tokenFile];
    const started = await runCli(['runner', 'shadow', 'start', 'replaydemo', '1.1.0', '--pid', 'A02', '--queue', '4096', ...flags, '--json']);
    expect(started.code, started.stderr).toBe(0);
    for (let index = 0; index < 1000; index += 1) {
      expect(await step(index, 'A02')).toBe(isError(index) ? 'ERROR' : verdictOf(greyOf(index), '1.0.0'));
    }
    const status = await runCli(['runner', 'shadow', 'status', ...flags, '--json']);
    expect(status.code, status.stderr).toBe(0);
    const shadow = status.json<{ shadows: Array<{ compared: number; dropped: number; disagreements: number; confusion: { active: Table } }> }>().shadows[0]!;
    expect(shadow.dropped).toBe(0);
    expect(shadow.compared).toBe(1000);
    const replay = await runCli([
      'runner',
      'replay',
      'replaydemo',
      '1.1.0',
      '--pid',
      'A02',
      '--last',
      '1000',
      ...flags,
      '--max-disagreements',
      '1000',
      '--json',
    ]);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.json<{ confusion: { recorded: Table } }>().confusion.recorded).toEqual(shadow.confusion.active);
    const metrics = await client().metrics();
    expect(metrics).toContain(`procvision_shadow_steps_total{pid="A02",active="NG",candidate="OK"} ${shadow.confusion.active.NG.OK}`);
    const stopped = await runCli(['runner', 'shadow', 'stop', '--pid', 'A02', ...flags, '--json']);
    expect(stopped.code, stopped.stderr).toBe(0);
    // the disagreeing frames were recorded for replay
    const disagreeing = await runCli(['runner', 'replay', 'replaydemo', '1.1.0', '--pid', 'A02', '--shadow', '--store', store, '--json']);
    expect(disagreeing.json<{ records: number; disagreements: number }>()).toMatchObject({
      records: shadow.disagreements,
      disagreements: shadow.disagreements,
    });
  }, 900_000);
  it('--canary-replay stops a fleet rollout above the disagreements allowed, before any binding changes', async () => {
    const stations = join(folder.path, 'stations.json');
    await writeFile(stations, JSON.stringify([{ url: station!.url, name: 'station-1', token_file: 'station.token' }]));
    const activate = (...extra: string[]) =>
      runCli(['runner', 'activate', 'replaydemo', '1.1.0', '--pid', 'A01', '--fleet', stations, '--canary-replay', '500', '--json', ...extra]);
    const stopped = await activate();
    expect(stopped.code, stopped.stderr).toBe(1);
    const outcome = stopped.json<{ stations: Array<{ result: string; code: string; detail: string }> }>().stations[0]!;
    expect(outcome).toMatchObject({ result: 'failed', code: '3052' });
    expect(outcome.detail).toMatch(
      /canary replay: [1-9]\d* of \d+ recorded step\(s\) changed verdict.*more than --canary-max-disagreements 0; nothing was changed/,
    );
    expect((await client().bindings()).bindings.A01?.version).toBe('1.0.0');
    const allowed = await activate('--canary-max-disagreements', '10000');
    expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);
    expect(allowed.json<{ stations: Array<{ detail: string }> }>().stations[0]!.detail).toMatch(
      /^canary replay: \d+ of \d+ recorded step\(s\) changed verdict/,
    );
    expect((await client().bindings()).bindings.A01?.version).toBe('1.1.0');
  }, 600_000);
});
