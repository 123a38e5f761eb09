import { copyFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';
import { type Bindings, packageVersion, type Served, serveStation, type StationOutcome, stopStation } from './fleet-helpers.js';

interface PidChange {
  pid: string;
  from: { name: string; version: string } | null;
  to: { name: string; version: string };
  action: 'activate' | 'switch' | 'none';
}

interface StationPlan {
  station: string;
  reachable: boolean;
  install: string[];
  pids: PidChange[];
  in_sync: boolean;
  error?: { code?: string; message: string };
}

async function bindingsOf(station: Served): Promise<Bindings> {
  const response = await fetch(`${station.url}/bindings`, { headers: { authorization: `Bearer ${station.token}` } });
  return ((await response.json()) as { bindings: Bindings }).bindings;
}

describe('fleet plan and fleet apply bring three real stations to a desired.json', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let repository: string;
  let stationsFile: string;
  let image: string;
  const stations: Served[] = [];
  const desiredFile = () => join(repository, 'desired.json');
  const desire = (version: string) =>
    writeFile(
      desiredFile(),
      JSON.stringify({
        bindings: [
          { pid: 'A01', name: 'plandemo', version },
          { pid: 'A02', name: 'plandemo', version },
        ],
      }),
    );
  const fleet = (command: 'plan' | 'apply', ...extra: string[]) =>
    runCli(['fleet', command, '--fleet', stationsFile, '--desired', desiredFile(), '--json', ...extra]);
  const canary = () => ['--canary-image', image, '--canary-params', '{"dark_threshold": 60}'];

  beforeAll(async () => {
    folder = await temporaryFolder('fleet-desired');
    repository = join(folder.path, 'repository');
    const project = await scaffold(folder.path, 'plandemo', 'A01,A02');
    await packageVersion(project, repository, '1.0.0');
    // 1.1.0 is a build whose execute throws: the canary must stop it.
    const rejected = await packageVersion(project, join(folder.path, 'rejected'), '1.1.0', true);
    await copyFile(rejected, join(repository, basename(rejected)));
    image = join(folder.path, 'part.png');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 120, g: 120, b: 120 } } })
      .png()
      .toFile(image);
    const token = `fleet-desired-token-${Math.random().toString(36).slice(2)}`;
    await writeFile(join(folder.path, 'fleet.token'), `${token}\n`);
    for (const index of [1, 2, 3]) stations.push(await serveStation(join(folder.path, `store-${index}`), join(folder.path, 'fleet.token'), token));
    stationsFile = join(folder.path, 'stations.json');
    await writeFile(
      stationsFile,
      JSON.stringify(stations.map((station, index) => ({ url: station.url, name: `station-${index + 1}`, token_file: 'fleet.token' }))),
    );
  }, 600_000);

  afterAll(async () => {
    await Promise.all(stations.map(stopStation));
    await folder?.remove();
  });

  it('plan on empty stations: install and activate on each, and nothing is changed', async () => {
    await desire('1.0.0');
    const run = await fleet('plan');
    expect(run.code, run.stderr).toBe(0);
    const plans = run.json<{ ok: boolean; changes: number; stations: StationPlan[] }>();
    expect(plans).toMatchObject({ ok: true, changes: 3 });
    for (const plan of plans.stations) {
      expect(plan).toMatchObject({ reachable: true, in_sync: false, install: ['plandemo@1.0.0'] });
      expect(plan.pids.map((change) => [change.pid, change.action, change.from, change.to.version])).toEqual([
        ['A01', 'activate', null, '1.0.0'],
        ['A02', 'activate', null, '1.0.0'],
      ]);
    }
    for (const station of stations) expect(await bindingsOf(station)).toEqual({});
    const human = await runCli(['fleet', 'plan', '--fleet', stationsFile, '--desired', desiredFile()]);
    expect(human.stdout).toMatch(/station-1: install plandemo 1\.0\.0; activate A01: unbound -> 1\.0\.0; activate A02: unbound -> 1\.0\.0/);
    expect(human.stdout).toMatch(/3 station\(s\) would change, 0 in sync, 0 unreachable/);
  }, 120_000);

  it('apply installs and activates with the canary step (required params), then plan says in sync', async () => {
    const run = await fleet('apply', ...canary());
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const [group] = run.json<{ groups: Array<{ version: string; stations: StationOutcome[] }> }>().groups;
    expect(group!.stations.map((outcome) => outcome.result)).toEqual(['ok', 'ok', 'ok']);
    expect(group!.stations[0]).toMatchObject({ canary: true });
    expect(group!.stations[0]!.detail).toMatch(/activated A01,A02 -> plandemo 1\.0\.0, ready, A01 step 1: OK/);
    for (const station of stations) expect(Object.values(await bindingsOf(station)).map((binding) => binding.version)).toEqual(['1.0.0', '1.0.0']);
    const plan = await fleet('plan');
    expect(plan.json<{ changes: number; stations: StationPlan[] }>()).toMatchObject({ changes: 0 });
    expect(plan.json<{ stations: StationPlan[] }>().stations.every((station) => station.in_sync)).toBe(true);
  }, 400_000);

  it('apply of a version whose canary step fails: the canary is restored exactly, the others are not switched; plan still shows the switch', async () => {
    await desire('1.1.0');
    const before = await bindingsOf(stations[0]!);
    const run = await fleet('apply', ...canary());
    expect(run.code).toBe(1);
    const [group] = run.json<{ ok: boolean; groups: Array<{ stations: StationOutcome[] }> }>().groups;
    expect(group!.stations.map((outcome) => [outcome.result, outcome.code ?? null])).toEqual([
      ['failed', '3052'],
      ['skipped', null],
      ['skipped', null],
    ]);
    expect(group!.stations[0]!.detail).toMatch(/rejected build.*restored A01 plandemo 1\.0\.0, A02 plandemo 1\.0\.0/);
    expect(await bindingsOf(stations[0]!)).toEqual(before);
    for (const station of stations.slice(1)) expect(Object.values(await bindingsOf(station)).map((binding) => binding.version)).toEqual(['1.0.0', '1.0.0']);
    const plan = await fleet('plan');
    for (const station of plan.json<{ stations: StationPlan[] }>().stations) {
      // installed everywhere before the rollout; only the switch is left
      expect(station.install).toEqual([]);
      expect(station.pids.map((change) => [change.action, change.from?.version, change.to.version])).toEqual([
        ['switch', '1.0.0', '1.1.0'],
        ['switch', '1.0.0', '1.1.0'],
      ]);
    }
  }, 400_000);

  it('a version with no zip beside desired.json: apply refuses before touching any station (exit 2); plan shows an unreachable station as failed', async () => {
    await desire('9.9.9');
    const run = await fleet('apply');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/plandemo@9\.9\.9.*no file plandemo-v9\.9\.9-\*\.zip/);
    for (const station of stations) expect(Object.values(await bindingsOf(station)).map((binding) => binding.version)).toEqual(['1.0.0', '1.0.0']);

    const withDown = join(folder.path, 'with-down.json');
    await writeFile(
      withDown,
      JSON.stringify([
        { url: stations[0]!.url, token_file: 'fleet.token' },
        { url: 'http://127.0.0.1:9', token_file: 'fleet.token' },
      ]),
    );
    const plan = await runCli(['fleet', 'plan', '--fleet', withDown, '--desired', desiredFile(), '--json']);
    expect(plan.code).toBe(1);
    const stationsPlan = plan.json<{ ok: boolean; stations: StationPlan[] }>();
    expect(stationsPlan.ok).toBe(false);
    expect(stationsPlan.stations.map((station) => [station.reachable, station.error?.code ?? null])).toEqual([
      [true, null],
      [false, '3051'],
    ]);
  }, 120_000);
});
