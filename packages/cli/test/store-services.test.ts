import { isProcessAlive as alive } from '@procvision/manifest/process-exit';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';
import { packageVersion, type Served, serveStation, stopStation } from './fleet-helpers.js';

interface Readiness {
  ready: boolean;
  reasons: string[];
  packages: Array<{ name: string; version: string; state: string; os_pid?: number }>;
}

async function readiness(station: Served): Promise<{ status: number; report: Readiness }> {
  const response = await fetch(`${station.url}/ready`, { headers: { authorization: `Bearer ${station.token}` }, signal: AbortSignal.timeout(5_000) });
  return { status: response.status, report: (await response.json()) as Readiness };
}

/** Polls until `check` holds (returns the ms it took) or `limitMs` passes (throws with the last state). */
async function within(limitMs: number, check: () => Promise<boolean>, describeState: () => Promise<string>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if (await check()) return Date.now() - started;
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  throw new Error(`not within ${limitMs} ms: ${await describeState()}`);
}

describe('one store, two runner services and the CLI', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let store = '';
  const services: Served[] = [];
  let deaf: Served;

  beforeAll(async () => {
    folder = await temporaryFolder('store-services');
    const project = await scaffold(folder.path, 'watchdemo', 'A01,A02');
    const zips = [await packageVersion(project, join(folder.path, 'zips'), '1.0.0'), await packageVersion(project, join(folder.path, 'zips'), '1.1.0')];
    store = join(folder.path, 'store');
    for (const zip of zips) {
      const installed = await runCli(['runner', 'install', zip, '--store', store]);
      if (installed.code !== 0) throw new Error(`install failed: ${installed.stderr}`);
    }
    const activated = await runCli(['runner', 'activate', 'watchdemo', '1.0.0', '--pid', 'A01', '--store', store]);
    if (activated.code !== 0) throw new Error(`activate failed: ${activated.stderr}`);
    await mkdir(join(folder.path, 'tokens'));
    for (const index of [1, 2, 3]) {
      const token = `token-of-service-${index}-${Math.random().toString(36).slice(2)}`;
      const tokenFile = join(folder.path, 'tokens', `service-${index}`);
      await writeFile(tokenFile, `${token}\n`);
      // The third service looks at the store only every 10 minutes: it keeps running 1.0.0 after the switch.
      services.push(await serveStation(store, tokenFile, token, index === 3 ? ['--store-watch-ms', '600000'] : []));
    }
    deaf = services[2]!;
  }, 480_000);

  afterAll(async () => {
    await Promise.all(services.map((service) => stopStation(service)));
    await folder?.remove();
  });

  it('a CLI switch is picked up by both watching services within 5 s: ready, the new version, the old processes gone', async () => {
    const watching = services.slice(0, 2);
    const oldPids: number[] = [];
    for (const service of watching) {
      await within(
        30_000,
        async () => (await readiness(service)).status === 200,
        async () => JSON.stringify((await readiness(service)).report),
      );
      const { report } = await readiness(service);
      expect(report.packages.map((entry) => `${entry.name}@${entry.version}`)).toEqual(['watchdemo@1.0.0']);
      oldPids.push(report.packages[0]!.os_pid!);
    }
    expect(oldPids.every(alive)).toBe(true);

    const switched = await runCli(['runner', 'activate', 'watchdemo', '1.1.0', '--pid', 'A01', '--store', store]);
    expect(switched.code, switched.stderr).toBe(0);
    const took = await Promise.all(
      watching.map((service, index) =>
        within(
          5_000,
          async () => {
            const { status, report } = await readiness(service);
            return (
              status === 200 &&
              report.packages.length === 1 &&
              report.packages[0]!.version === '1.1.0' &&
              report.packages[0]!.state === 'ready' &&
              !alive(oldPids[index]!)
            );
          },
          async () => `${JSON.stringify((await readiness(service)).report)}; old process ${oldPids[index]} alive: ${alive(oldPids[index]!)}`,
        ),
      ),
    );
    process.stderr.write(`services converged after the CLI switch in ${took.join(' and ')} ms\n`);

    // Each service records itself and the versions it runs in the store.
    const records = readdirSync(join(store, 'services')).map(
      (name) => JSON.parse(readFileSync(join(store, 'services', name), 'utf8')) as { pid: number; url: string; versions: string[] },
    );
    expect(records).toHaveLength(3);
    for (const service of watching) expect(records.find((record) => record.url === service.url)?.versions).toEqual(['watchdemo@1.1.0']);
    expect(records.find((record) => record.url === deaf.url)?.versions).toEqual(['watchdemo@1.0.0']);
  }, 120_000);

  it('uninstalling a version a live service still runs needs --force and names the service', async () => {
    const refused = await runCli(['runner', 'uninstall', 'watchdemo', '1.0.0', '--store', store, '--json']);
    expect(refused.code).not.toBe(0);
    const said = refused.stdout + refused.stderr;
    expect(said).toContain('2007');
    expect(said).toContain(`pid ${deaf.child.pid}`);
    expect(said).toContain(deaf.url);
    expect(readdirSync(join(store, 'algorithms', 'deployed', 'watchdemo')).sort()).toEqual(['1.0.0', '1.1.0']);

    const forced = await runCli(['runner', 'uninstall', 'watchdemo', '1.0.0', '--store', store, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readdirSync(join(store, 'algorithms', 'deployed', 'watchdemo'))).toEqual(['1.1.0']);
  }, 120_000);

  it('a stopped service removes its record', async () => {
    await stopStation(deaf);
    const names = readdirSync(join(store, 'services'));
    expect(names, `${names.join(', ')}; the stopped service was pid ${deaf.child.pid}`).toHaveLength(2);
    expect(names.some((name) => name.endsWith(`-${deaf.child.pid}.json`))).toBe(false);
  }, 60_000);
});
