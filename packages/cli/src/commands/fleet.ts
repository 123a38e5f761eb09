import type { RunnerClient } from '@procvision/runner/client';
import type { ActivateOptions, InstallOptions } from '../command-table/index.js';
import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { readImageFile } from '../internal/read-image-file.js';
import { boundedMap } from '../internal/remote/bounded-map.js';
import { readFleetFile, type Station } from '../internal/remote/fleet-file.js';
import { checkRemoteFlags, clientFor, defaultToken, type RemoteFlags, stationTokens } from '../internal/remote/remote-options.js';
import { activateOnStation, type StationBindings, stationBindings } from '../internal/remote/station-bindings.js';
import { failedOutcome, formatFleetSummary, type StationOutcome } from '../internal/remote/station-outcome.js';
import { describeStep, uploadableZip } from './remote.js';
import { ErrorCodes } from '@procvision/manifest';

/** The fleet flags: the stations file, how many stations at a time, how long to wait for readiness. */
export interface FleetFlags extends RemoteFlags {
  fleet: string;
  /** Stations worked on at the same time (default 4). */
  concurrency?: number;
  /** How long a station may take to be ready after an activation (default 60000 ms). */
  readyTimeoutMs?: number;
}

/** Options of `runner activate --fleet`: the canary's step. */
export interface FleetActivateFlags extends FleetFlags {
  /** Image of the canary's step (`--canary-image`); without it the canary is checked for readiness only. */
  canaryImage?: string;
  /** Step index of the canary's step (default 1). */
  canaryStep?: number;
}

interface Fleet {
  stations: Station[];
  clients: RunnerClient[];
}

async function openFleet(flags: FleetFlags, example: string): Promise<Fleet> {
  checkRemoteFlags(flags, example);
  const stations = await readFleetFile(flags.fleet);
  const tokens = await stationTokens(stations, await defaultToken(flags, example), example);
  const clients = await Promise.all(stations.map((station, index) => clientFor(station, tokens[index])));
  return { stations, clients };
}

function report(operation: string, outcomes: StationOutcome[], output: Output): number {
  const ok = outcomes.every((outcome) => outcome.result === 'ok');
  output.result({ operation, ok, stations: outcomes }, () => formatFleetSummary(operation, outcomes));
  return ok ? ExitCodes.success : ExitCodes.failure;
}

async function onEachStation(
  fleet: Fleet,
  flags: FleetFlags,
  work: (client: RunnerClient, station: Station) => Promise<StationOutcome>,
): Promise<StationOutcome[]> {
  return boundedMap(fleet.stations, flags.concurrency ?? 4, (station, index) =>
    work(fleet.clients[index]!, station).catch((error: unknown) => failedOutcome(station, error)),
  );
}

function ok(station: Station, detail: string, extra: Partial<StationOutcome> = {}): StationOutcome {
  return { station: station.name, url: station.url, result: 'ok', detail, ...extra };
}

/** `runner install <zip> --fleet stations.json`: verified here once, uploaded to every station (already installed counts as done). */
export async function fleetInstall(zip: string, flags: InstallOptions & FleetFlags, output: Output): Promise<number> {
  const example = `procvision runner install ${zip} --fleet stations.json --token-file fleet.token`;
  const fleet = await openFleet(flags, example);
  const upload = await uploadableZip(zip, flags, example);
  const outcomes = await onEachStation(fleet, flags, async (client, station) => {
    const { packages } = await stationBindings(client);
    if (packages.some((entry) => entry.name === upload.name && entry.version === upload.version))
      return ok(station, `${upload.name} ${upload.version} already installed`);
    const { package: entry } = await client.install(upload.blob);
    return ok(station, `installed ${entry.name} ${entry.version}`);
  });
  return report(`install ${upload.name} ${upload.version}`, outcomes, output);
}

async function waitReady(client: RunnerClient, timeoutMs: number): Promise<{ ready: boolean; reasons: string[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await client.ready();
    if (report.ready || Date.now() >= deadline) return report;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Puts a station back as it was after a failed check: a switch is rolled back (each pid's
 * previous version); a first activation has no previous version to return to, and says so.
 */
async function undo(client: RunnerClient, name: string, pids: readonly string[], how: string, before: StationBindings): Promise<string> {
  if (how === 'unchanged') return 'nothing was changed';
  if (how === 'switched') {
    await client.rollback(name, pids);
    return `rolled back to ${pids.map((pid) => `${pid} ${before[pid]?.name ?? '?'} ${before[pid]?.version ?? '?'}`).join(', ')}`;
  }
  return 'left active: these pids had no previous version to roll back to';
}

interface ActivationPlan {
  name: string;
  version: string;
  pids: string[];
  readyTimeoutMs: number;
  /** The canary's step: Base64 image and step index. */
  step?: { image: string; stepIndex: number };
}

async function activateStation(client: RunnerClient, station: Station, plan: ActivationPlan, canary: boolean): Promise<StationOutcome> {
  const extra = canary ? { canary: true } : {};
  const { bindings: before } = await stationBindings(client);
  const how = await activateOnStation(client, plan.name, plan.version, plan.pids, before);
  const fail = async (detail: string, code: string): Promise<StationOutcome> => {
    const undone = await undo(client, plan.name, plan.pids, how, before).catch((error: unknown) => `could not roll back (${(error as Error).message})`);
    return { station: station.name, url: station.url, result: 'failed', code, detail: `${detail}; ${undone}`, ...extra };
  };
  const ready = await waitReady(client, plan.readyTimeoutMs);
  if (!ready.ready)
    return fail(
      `not ready ${plan.readyTimeoutMs} ms after ${how === 'unchanged' ? 'the check' : 'the activation'}: ${ready.reasons.join('; ')}`,
      canary ? ErrorCodes.canaryFailed : ErrorCodes.stationFailed,
    );
  const summary = `${how} ${plan.pids.join(',')} -> ${plan.name} ${plan.version}, ready`;
  if (!canary || plan.step === undefined) return ok(station, canary ? `${summary} (no --canary-image: step skipped)` : summary, extra);
  const pid = plan.pids[0]!;
  try {
    const body = await client.execute({ pid, step_index: plan.step.stepIndex, image: plan.step.image });
    if (body.status !== 'OK') return await fail(`canary step failed: ${describeStep(pid, body)}`, ErrorCodes.canaryFailed);
    return ok(station, `${summary}, ${describeStep(pid, body)}`, extra);
  } catch (error) {
    return fail(`canary step failed: ${(error as Error).message}`, ErrorCodes.canaryFailed);
  }
}

/**
 * `runner activate <name> <version> --pid P --fleet stations.json`: the canary (first station)
 * first: activate, wait until ready, run one step on `--canary-image`; only then the rest, a
 * bounded number at a time. A station that fails is put back as it was (a switch is rolled
 * back); after a failed canary no other station is touched.
 */
export async function fleetActivate(name: string, version: string, flags: ActivateOptions & FleetActivateFlags, output: Output): Promise<number> {
  const example = `procvision runner activate ${name} ${version} --pid ${flags.pid.join(',')} --fleet stations.json --canary-image part.jpg`;
  const fleet = await openFleet(flags, example);
  const image = flags.canaryImage === undefined ? undefined : await readImageFile(flags.canaryImage, example);
  const plan: ActivationPlan = {
    name,
    version,
    pids: flags.pid,
    readyTimeoutMs: flags.readyTimeoutMs ?? 60_000,
    ...(image === undefined ? {} : { step: { image: Buffer.from(image.bytes).toString('base64'), stepIndex: flags.canaryStep ?? 1 } }),
  };
  if (image === undefined) output.note('note: no --canary-image; the canary station is checked for readiness only');
  const [canaryStation, ...rest] = fleet.stations;
  const canary = await activateStation(fleet.clients[0]!, canaryStation!, plan, true).catch((error: unknown) => ({
    ...failedOutcome(canaryStation!, error),
    canary: true,
  }));
  if (canary.result !== 'ok') {
    const skipped = rest.map((station): StationOutcome => ({
      station: station.name,
      url: station.url,
      result: 'skipped',
      detail: 'not touched: the canary failed',
    }));
    return report(`activate ${name} ${version}`, [canary, ...skipped], output);
  }
  const others = await boundedMap(rest, flags.concurrency ?? 4, (station, index) =>
    activateStation(fleet.clients[index + 1]!, station, plan, false).catch((error: unknown) => failedOutcome(station, error)),
  );
  return report(`activate ${name} ${version}`, [canary, ...others], output);
}

/** `runner rollback <name> --pid P --fleet stations.json`: each pid's previous version on every station. */
export async function fleetRollback(name: string, flags: ActivateOptions & FleetFlags, output: Output): Promise<number> {
  const example = `procvision runner rollback ${name} --pid ${flags.pid.join(',')} --fleet stations.json`;
  const fleet = await openFleet(flags, example);
  const outcomes = await onEachStation(fleet, flags, async (client, station) => {
    await client.rollback(name, flags.pid);
    const { bindings } = await stationBindings(client);
    return ok(station, flags.pid.map((pid) => `${pid} -> ${bindings[pid]?.name ?? '?'} ${bindings[pid]?.version ?? '?'}`).join(', '));
  });
  return report(`rollback ${name}`, outcomes, output);
}

/** `runner status --fleet stations.json`: readiness and bindings of every station (a station not ready fails). */
export async function fleetStatus(flags: FleetFlags, output: Output): Promise<number> {
  const fleet = await openFleet(flags, 'procvision runner status --fleet stations.json');
  const outcomes = await onEachStation(fleet, flags, async (client, station) => {
    const ready = await client.ready();
    const { bindings } = await stationBindings(client);
    const active =
      Object.entries(bindings)
        .map(([pid, ref]) => `${pid} ${ref.name} ${ref.version}`)
        .join(', ') || 'nothing active';
    if (!ready.ready)
      return {
        station: station.name,
        url: station.url,
        result: 'failed',
        code: ErrorCodes.stationFailed,
        detail: `not ready: ${ready.reasons.join('; ')}; ${active}`,
      };
    return ok(station, `ready; ${active}`);
  });
  return report('status', outcomes, output);
}
