import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';
import { type Served, type StationOutcome, serveStation } from './fleet-helpers.js';

async function packagesOf(station: Served): Promise<Array<{ name: string; version: string; active_pids: string[] }>> {
  const response = await fetch(`${station.url}/packages`, { headers: { authorization: `Bearer ${station.token}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { packages: Array<{ name: string; version: string; active_pids: string[] }> }).packages;
}

describe('procvision runner install + activate --fleet across three real runner services', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let zip: string;
  let image: string;
  let stationsFile: string;
  const stations: Served[] = [];

  beforeAll(async () => {
    folder = await temporaryFolder('fleet');
    const project = await scaffold(folder.path, 'fleetdemo', 'A01,A02');
    const packaged = await runCli(['package', project, '-o', join(folder.path, 'zips'), '--json']);
    if (packaged.code !== 0) throw new Error(`package failed: ${packaged.stderr}`);
    zip = packaged.json<{ zips: Array<{ path: string }> }>().zips[0]!.path;
    image = join(folder.path, 'part.png');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 120, g: 120, b: 120 } } })
      .png()
      .toFile(image);
    const tokens = join(folder.path, 'tokens');
    await mkdir(tokens);
    for (const index of [1, 2, 3]) {
      const token = `token-of-station-${index}-${Math.random().toString(36).slice(2)}`;
      await writeFile(join(tokens, `station-${index}`), `${token}\n`);
      stations.push(await serveStation(join(folder.path, `store-${index}`), join(tokens, `station-${index}`), token));
    }
    await writeFile(join(tokens, 'stale'), 'a-token-station-2-no-longer-accepts\n');
    stationsFile = join(folder.path, 'stations.json');
    await writeFile(
      stationsFile,
      JSON.stringify([
        { url: stations[0]!.url, name: 'station-1', token_file: 'tokens/station-1' },
        { url: stations[1]!.url, name: 'station-2', token_file: 'tokens/stale' },
        { url: stations[2]!.url, name: 'station-3', token_file: 'tokens/station-3' },
      ]),
    );
  }, 240_000);

  afterAll(async () => {
    await Promise.all(
      stations.map(
        (station) =>
          new Promise((resolve) => {
            station.child.once('exit', resolve);
            station.child.kill('SIGTERM');
          }),
      ),
    );
    await folder?.remove();
  });

  it('install: two stations install, the refusing one is named, exit 1', async () => {
    const run = await runCli(['runner', 'install', zip, '--fleet', stationsFile, '--json']);
    expect(run.code, run.stderr).toBe(1);
    const document = run.json<{ ok: boolean; stations: StationOutcome[] }>();
    expect(document.ok).toBe(false);
    expect(document.stations.map((outcome) => [outcome.station, outcome.result, outcome.code ?? null])).toEqual([
      ['station-1', 'ok', null],
      ['station-2', 'failed', '3001'],
      ['station-3', 'ok', null],
    ]);
    expect((await packagesOf(stations[0]!)).map((entry) => entry.name)).toEqual(['fleetdemo']);
    expect(await packagesOf(stations[1]!)).toEqual([]);
  }, 240_000);

  it('activate: canary first (ready + one step), then the rest; summary table names the refusing station, exit 1', async () => {
    const run = await runCli(['runner', 'activate', 'fleetdemo', '1.0.0', '--pid', 'A01', '--fleet', stationsFile, '--canary-image', image]);
    expect(run.code, run.stderr).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^STATION\s+RESULT\s+CODE\s+DETAIL$/);
    expect(lines[1]).toMatch(/^station-1 \(canary\)\s+OK\s+activated A01 -> fleetdemo 1\.0\.0, ready, A01 step 1: OK/);
    expect(lines[2]).toMatch(/^station-2\s+FAILED\s+3001\s+.*bearer token is wrong/);
    expect(lines[3]).toMatch(/^station-3\s+OK\s+activated A01/);
    expect(lines[4]).toBe('activate fleetdemo 1.0.0: 2 ok, 1 failed, 0 skipped of 3 station(s)');
    for (const station of [stations[0]!, stations[2]!])
      expect(await packagesOf(station)).toMatchObject([{ name: 'fleetdemo', version: '1.0.0', active_pids: ['A01'] }]);
    expect(await packagesOf(stations[1]!)).toEqual([]);
    const ready = await fetch(`${stations[2]!.url}/ready`, { headers: { authorization: `Bearer ${stations[2]!.token}` } });
    expect(await ready.json()).toMatchObject({ ready: true, packages: [{ name: 'fleetdemo', state: 'ready', pids: ['A01'] }] });
  }, 240_000);

  it('a failed canary leaves every other station untouched', async () => {
    const canaryFirst = join(folder.path, 'canary-first.json');
    await writeFile(
      canaryFirst,
      JSON.stringify([
        { url: stations[1]!.url, name: 'station-2', token_file: 'tokens/stale' },
        { url: stations[2]!.url, name: 'station-3', token_file: 'tokens/station-3' },
      ]),
    );
    const run = await runCli(['runner', 'activate', 'fleetdemo', '1.0.0', '--pid', 'A02', '--fleet', canaryFirst, '--canary-image', image, '--json']);
    expect(run.code).toBe(1);
    expect(run.json<{ stations: StationOutcome[] }>().stations.map((outcome) => [outcome.station, outcome.result])).toEqual([
      ['station-2', 'failed'],
      ['station-3', 'skipped'],
    ]);
    expect(await packagesOf(stations[2]!)).toMatchObject([{ active_pids: ['A01'] }]);
  }, 120_000);

  it('status --fleet, and one station by --url: list, status, exec', async () => {
    const status = await runCli(['runner', 'status', '--fleet', stationsFile, '--json']);
    expect(status.code).toBe(1);
    expect(status.json<{ stations: StationOutcome[] }>().stations.map((outcome) => outcome.result)).toEqual(['ok', 'failed', 'ok']);
    const tokenFile = join(folder.path, 'tokens', 'station-3');
    const list = await runCli(['runner', 'list', '--url', stations[2]!.url, '--token-file', tokenFile, '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.json()).toMatchObject({ active: { A01: { name: 'fleetdemo', version: '1.0.0' } } });
    const exec = await runCli(['runner', 'exec', '--pid', 'A01', '--image', image, '--url', stations[2]!.url, '--token-file', tokenFile, '--json']);
    expect(exec.code, exec.stderr).toBe(0);
    expect(exec.json()).toMatchObject({ status: 'OK', step_index: 1 });
    const refused = await runCli(['runner', 'list', '--url', stations[1]!.url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/401.*bearer token/);
    const mixed = await runCli(['runner', 'list', '--url', stations[1]!.url, '--store', folder.path]);
    expect(mixed.code).toBe(2);
  }, 120_000);
});
