import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';
import { packageVersion, type Served, serveStation, stopStation } from './fleet-helpers.js';

interface PidState {
  pid: string;
  desired: { name: string; version: string };
  actual: { name: string; version: string } | null;
  status: 'in_sync' | 'pending' | 'failed';
  reason?: string;
}

interface State {
  repository: string;
  in_sync: boolean;
  reconciles: number;
  reconciling: { started_at: string } | null;
  last_reconcile: { started_at: string; finished_at: string; ok: boolean; changes: string[] } | null;
  last_error: { code: string; message: string } | null;
  pids: PidState[];
}

/** Seconds between reconciles. */
const pollSeconds = 15;
/** Timer and event-loop lateness a reconcile may start with on a loaded machine, beyond its poll interval. */
const schedulingSlackMs = 5_000;

async function get<Body>(station: Served, path: string): Promise<{ status: number; body: Body }> {
  const response = await fetch(`${station.url}${path}`, { headers: { authorization: `Bearer ${station.token}` } });
  return { status: response.status, body: (await response.json()) as Body };
}

/** Polls every station's /state until each has satisfied `done`; answers, per station, the first state that did. */
async function waitFor(stations: readonly Served[], timeoutMs: number, done: (state: State) => boolean): Promise<State[]> {
  const deadline = Date.now() + timeoutMs;
  const first: Array<State | undefined> = stations.map(() => undefined);
  for (;;) {
    const states = await Promise.all(stations.map(async (station, index) => first[index] ?? (await get<State>(station, '/state')).body));
    states.forEach((state, index) => {
      if (first[index] === undefined && done(state)) first[index] = state;
    });
    if (first.every((state) => state !== undefined)) return first as State[];
    if (Date.now() > deadline) throw new Error(`not converged after ${timeoutMs} ms: ${JSON.stringify(states, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every pid runs `version` and no reconcile is under way (the one that switched them has finished and is `last_reconcile`). */
const runs = (version: string) => (state: State) => state.in_sync && state.reconciling === null && state.pids.every((pid) => pid.actual?.version === version);

describe('stations reconcile from one shared repository folder (three real runner services)', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let repository: string;
  let tokenFile: string;
  let token: string;
  const stations: Served[] = [];
  /** Replaces desired.json in one rename, as a GitOps sync or a ConfigMap update does (a station never reads half a file). */
  const desired = async (version: string) => {
    const file = join(repository, 'desired.json');
    await writeFile(
      `${file}.tmp`,
      JSON.stringify({
        bindings: [
          { pid: 'A01', name: 'repodemo', version },
          { pid: 'A02', name: 'repodemo', version },
        ],
      }),
    );
    await rename(`${file}.tmp`, file);
  };
  const start = (index: number) =>
    serveStation(join(folder.path, `store-${index}`), tokenFile, token, ['--repository', repository, '--poll-interval', `${pollSeconds}s`]);

  beforeAll(async () => {
    folder = await temporaryFolder('fleet-repository');
    repository = join(folder.path, 'repository');
    const project = await scaffold(folder.path, 'repodemo', 'A01,A02');
    await packageVersion(project, repository, '1.0.0');
    const good = await packageVersion(project, repository, '1.1.0');
    // 1.2.0: a zip that fails verification (the 1.1.0 zip cut in half, under the 1.2.0 name).
    const bytes = await readFile(good);
    await writeFile(good.replace('v1.1.0', 'v1.2.0'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    token = `repository-token-${Math.random().toString(36).slice(2)}`;
    tokenFile = join(folder.path, 'fleet.token');
    await writeFile(tokenFile, `${token}\n`);
    await desired('1.0.0');
    for (const index of [1, 2, 3]) stations.push(await start(index));
    await waitFor(stations, 300_000, runs('1.0.0'));
  }, 900_000);

  afterAll(async () => {
    await Promise.all(stations.map(stopStation));
    await folder?.remove();
  });

  it('a new desired.json: each station picks it up within one poll interval and converges in that one reconcile; /state, /ready and /metrics agree', async () => {
    const written = Date.now();
    await desired('1.1.0');
    // The bound that does not depend on the machine's load: the change is seen by the first
    // reconcile after it (started within one poll interval), and that reconcile alone installs
    // and switches. Its own duration (offline npm installs, the new process's start) is load;
    // the wait below only keeps a broken build from hanging.
    const states = await waitFor(stations, 2 * pollSeconds * 1000 + 300_000, runs('1.1.0'));
    const elapsed = Date.now() - written;
    const applied = states.map((state) => state.last_reconcile!);
    process.stderr.write(
      `fleet-repository: three stations converged on 1.1.0 ${elapsed} ms after desired.json changed (poll ${pollSeconds} s; picked up after ${applied
        .map((run) => Date.parse(run.started_at) - written)
        .join(', ')} ms; applying took ${applied.map((run) => Date.parse(run.finished_at) - Date.parse(run.started_at)).join(', ')} ms)\n`,
    );
    for (const run of applied) {
      expect(run.ok).toBe(true);
      expect(run.changes).toEqual(['installed repodemo@1.1.0', 'A01,A02 -> repodemo@1.1.0']);
      expect(Date.parse(run.started_at) - written).toBeLessThanOrEqual(pollSeconds * 1000 + schedulingSlackMs);
    }
    for (const state of states) {
      expect(state.last_error).toBeNull();
      expect(state.pids.map((pid) => [pid.pid, pid.status, pid.actual?.version])).toEqual([
        ['A01', 'in_sync', '1.1.0'],
        ['A02', 'in_sync', '1.1.0'],
      ]);
    }
    const bindings = await get<{ bindings: Record<string, { previous: { version: string } | null }> }>(stations[0]!, '/bindings');
    expect(bindings.body.bindings.A01!.previous).toEqual({ name: 'repodemo', version: '1.0.0' });
    const ready = await get<{ ready: boolean; desired_state: { in_sync: boolean } }>(stations[0]!, '/ready');
    expect(ready.body).toMatchObject({ ready: true, desired_state: { in_sync: true, last_error: null } });
    const metrics = await (await fetch(`${stations[0]!.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(metrics).toMatch(/^procvision_reconcile_total\{outcome="ok"\} [1-9]/m);
    expect(metrics).toMatch(/^procvision_reconcile_drift_pids 0$/m);
  }, 400_000);

  it('a desired version whose zip fails verification leaves every station serving the old one, the reason in /state', async () => {
    await desired('1.2.0');
    const states = await Promise.all(
      stations.map(async (station) => {
        const response = await fetch(`${station.url}/reconcile`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
        expect(response.status).toBe(200);
        return (await response.json()) as State;
      }),
    );
    for (const state of states) {
      expect(state.in_sync).toBe(false);
      expect(state.last_error?.message).toMatch(/repodemo@1\.2\.0/);
      for (const pid of state.pids) {
        expect(pid).toMatchObject({ status: 'failed', actual: { version: '1.1.0' }, desired: { version: '1.2.0' } });
        expect(pid.reason).toMatch(/repodemo@1\.2\.0: .*(zip|archive|central directory|end of)/i);
      }
    }
    const ready = await get<{ ready: boolean; desired_state: { in_sync: boolean } }>(stations[1]!, '/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ ready: true, desired_state: { in_sync: false } });
    const metrics = await (await fetch(`${stations[1]!.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(metrics).toMatch(/^procvision_reconcile_drift_pids 2$/m);
    expect(metrics).toMatch(/^procvision_reconcile_total\{outcome="error"\} [1-9]/m);
    const exec = await runCli([
      'runner',
      'exec',
      '--pid',
      'A01',
      '--params',
      '{"dark_threshold": 60}',
      '--image',
      join(folder.path, 'repodemo', 'samples', 'ok.png'),
      '--url',
      stations[1]!.url,
      '--token-file',
      tokenFile,
      '--json',
    ]);
    expect(exec.code, exec.stderr).toBe(0);
  }, 120_000);

  it('a station whose store is deleted comes back to the desired state on restart', async () => {
    await desired('1.1.0');
    await stopStation(stations[2]!);
    await rm(stations[2]!.store, { recursive: true, force: true });
    stations[2] = await start(3);
    const [state] = await waitFor([stations[2]!], 300_000, runs('1.1.0'));
    expect(state!.pids.map((pid) => pid.status)).toEqual(['in_sync', 'in_sync']);
  }, 360_000);
});
