import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';
import { type Bindings, packageVersion, type Served, serveStation, type StationOutcome, stopStation } from './fleet-helpers.js';

async function bindingsOf(station: Served): Promise<Bindings> {
  const response = await fetch(`${station.url}/bindings`, { headers: { authorization: `Bearer ${station.token}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { bindings: Bindings }).bindings;
}

function versions(bindings: Bindings): Record<string, string> {
  return Object.fromEntries(Object.entries(bindings).map(([pid, binding]) => [pid, binding.version]));
}

describe('fleet canary and rollback keep history true (three real runner services)', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  const zips: Record<string, string> = {};
  let image: string;
  let stationsFile: string;
  const stations: Served[] = [];

  beforeAll(async () => {
    folder = await temporaryFolder('fleet-canary');
    const project = await scaffold(folder.path, 'canarydemo', 'A01,A02');
    for (const version of ['1.0.0', '1.1.0']) zips[version] = await packageVersion(project, join(folder.path, 'zips'), version);
    zips['1.2.0'] = await packageVersion(project, join(folder.path, 'zips'), '1.2.0', true);
    image = join(folder.path, 'part.png');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 120, g: 120, b: 120 } } })
      .png()
      .toFile(image);
    const token = `fleet-token-${Math.random().toString(36).slice(2)}`;
    await writeFile(join(folder.path, 'fleet.token'), `${token}\n`);
    for (const index of [1, 2, 3]) stations.push(await serveStation(join(folder.path, `store-${index}`), join(folder.path, 'fleet.token'), token));
    stationsFile = join(folder.path, 'stations.json');
    await writeFile(
      stationsFile,
      JSON.stringify(stations.map((station, index) => ({ url: station.url, name: `station-${index + 1}`, token_file: 'fleet.token' }))),
    );
    for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
      const installed = await runCli(['runner', 'install', zips[version]!, '--fleet', stationsFile, '--json']);
      if (installed.code !== 0) throw new Error(`install ${version}: ${installed.stdout} ${installed.stderr}`);
    }
  }, 600_000);

  afterAll(async () => {
    await Promise.all(stations.map(stopStation));
    await folder?.remove();
  });

  const activate = (version: string, ...extra: string[]) =>
    runCli(['runner', 'activate', 'canarydemo', version, '--pid', 'A01,A02', '--fleet', stationsFile, '--canary-image', image, '--json', ...extra]);

  it('a first-activation canary that fails (required param missing) leaves the canary with no binding, the rest untouched', async () => {
    const run = await activate('1.0.0');
    expect(run.code).toBe(1);
    const outcomes = run.json<{ stations: StationOutcome[] }>().stations;
    expect(outcomes.map((outcome) => [outcome.result, outcome.code ?? null])).toEqual([
      ['failed', '3052'],
      ['skipped', null],
      ['skipped', null],
    ]);
    expect(outcomes[0]!.detail).toMatch(/canary step failed: .*dark_threshold.*restored A01 unbound \(first activation\), A02 unbound/);
    for (const station of stations) expect(await bindingsOf(station)).toEqual({});
  }, 240_000);

  it('--canary-params (@file) runs the step with its required params; 1.0.0 then 1.1.0 fleet-wide, --verify-step on every station', async () => {
    const paramsFile = join(folder.path, 'canary-params.json');
    await writeFile(paramsFile, '{"dark_threshold": 60}');
    const first = await activate('1.0.0', '--canary-params', `@${paramsFile}`);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const second = await activate('1.1.0', '--canary-params', '{"dark_threshold": 60}', '--verify-step');
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const outcomes = second.json<{ stations: StationOutcome[] }>().stations;
    for (const outcome of outcomes) expect(outcome.detail).toMatch(/switched A01,A02 -> canarydemo 1\.1\.0, ready, A01 step 1: OK/);
    for (const station of stations) expect(versions(await bindingsOf(station))).toEqual({ A01: '1.1.0', A02: '1.1.0' });
  }, 240_000);

  it('a failing 1.2.0 canary restores exactly the bindings it had; rollback then goes to 1.0.0 on every station, in one audited operation', async () => {
    const before = await bindingsOf(stations[0]!);
    const run = await activate('1.2.0', '--canary-params', '{"dark_threshold": 60}');
    expect(run.code).toBe(1);
    const outcomes = run.json<{ stations: StationOutcome[] }>().stations;
    expect(outcomes.map((outcome) => outcome.result)).toEqual(['failed', 'skipped', 'skipped']);
    expect(outcomes[0]!.detail).toMatch(/rejected build.*restored A01 canarydemo 1\.1\.0, A02 canarydemo 1\.1\.0/);
    expect(await bindingsOf(stations[0]!)).toEqual(before);
    expect(before.A01!.previous).toEqual({ name: 'canarydemo', version: '1.0.0' });

    const rollback = await runCli(['runner', 'rollback', 'canarydemo', '--pid', 'A01,A02', '--fleet', stationsFile, '--json']);
    expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0);
    for (const station of stations) expect(versions(await bindingsOf(station))).toEqual({ A01: '1.0.0', A02: '1.0.0' });
    const audit = (await readFile(join(stations[0]!.store, 'logs', 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { operation: string; subject: Record<string, unknown>; outcome: string });
    const rollbacks = audit.filter((record) => record.operation === 'rollback');
    expect(rollbacks).toEqual([expect.objectContaining({ outcome: 'ok', subject: { name: 'canarydemo', pids: ['A01', 'A02'] } })]);
    expect(audit.filter((record) => record.operation === 'restore').map((record) => record.outcome)).toEqual(['ok', 'ok']);
  }, 240_000);

  it('--station-timeout-ms bounds a station that accepts but never answers', async () => {
    const sockets: Socket[] = [];
    const hung: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const address = hung.address() as { port: number };
    const file = join(folder.path, 'with-hung.json');
    await writeFile(
      file,
      JSON.stringify([
        { url: stations[0]!.url, token_file: 'fleet.token' },
        { url: `http://127.0.0.1:${address.port}`, name: 'hung', token_file: 'fleet.token' },
      ]),
    );
    const started = Date.now();
    const run = await runCli(['runner', 'status', '--fleet', file, '--station-timeout-ms', '3000', '--json']);
    const elapsed = Date.now() - started;
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => hung.close(resolve));
    expect(run.code).toBe(1);
    const outcomes = run.json<{ stations: StationOutcome[] }>().stations;
    expect(
      outcomes.map((outcome) => [outcome.result, outcome.code]),
      JSON.stringify(outcomes),
    ).toEqual([
      ['ok', undefined],
      ['failed', '3051'],
    ]);
    expect(outcomes[1]!.detail).toMatch(/3000|timed out|timeout/i);
    expect(elapsed).toBeLessThan(20_000);
  }, 60_000);
});
