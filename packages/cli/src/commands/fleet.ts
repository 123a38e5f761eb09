import { type ErrorCode, ErrorCodes } from '@procvision/manifest';
import type { ActiveBindings, RunnerClient } from '@procvision/runner/client';
import type { RunnerActivateOptions, InstallOptions } from './runner-options.js';
import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { readImageFile } from '../internal/read-image-file.js';
import { readParamsOption } from '../internal/parse-params.js';
import { UsageError } from '../usage-error.js';
import { boundedMap } from '../internal/remote/bounded-map.js';
import { readFleetFile, type Station } from '../internal/remote/fleet-file.js';
import { checkRemoteFlags, clientFor, defaultToken, type RemoteFlags, stationTokens } from '../internal/remote/remote-options.js';
import { activateOnStation, stationBindings } from '../internal/remote/station-bindings.js';
import { failedOutcome, formatFleetSummary, type StationOutcome } from '../internal/remote/station-outcome.js';
import { canaryReplay } from '../internal/remote/canary-replay.js';
import { describeStep, uploadableZip } from './remote.js';

/** The fleet flags: the stations file, how many stations at a time, how long to wait for readiness. */
export interface FleetFlags extends RemoteFlags {
  fleet: string;
  /** Stations worked on at the same time (default 4). */
  concurrency?: number;
  /** How long a station may take to be ready after an activation (default 60000 ms). */
  readyTimeoutMs?: number;
  /** How long one call to a station may take before the station counts as failed (default 60000 ms; uploads: 600000). */
  stationTimeoutMs?: number;
}

/** Options of `runner activate --fleet`: the canary's step, and the step every station runs with `--verify-step`. */
export interface FleetActivateFlags extends FleetFlags {
  /** Image of the canary's step (`--canary-image`); without it the canary is checked for readiness only. */
  canaryImage?: string;
  /** Step index of the canary's step (default 1). */
  canaryStep?: number;
  /** `--canary-params JSON|@file`: the user params of the canary's step. */
  canaryParams?: string;
  /** `--verify-step`: every station runs the canary's step after its switch; a failure rolls it back and stops the rollout. */
  verifyStep?: boolean;
  /** `--canary-replay N`: the canary's newest N records per PID through the new version before anything is activated. */
  canaryReplay?: number;
  /** `--canary-max-disagreements N`: changed verdicts the canary replay allows (default 0). */
  canaryMaxDisagreements?: number;
}

/** The stations of a fleet file and a client for each. */
export interface Fleet {
  stations: Station[];
  clients: RunnerClient[];
}

/** Reads the fleet file and the tokens; one client per station. */
export async function openFleet(flags: FleetFlags, example: string): Promise<Fleet> {
  checkRemoteFlags(flags, example);
  const stations = await readFleetFile(flags.fleet);
  const tokens = await stationTokens(stations, await defaultToken(flags, example), example);
  const clients = await Promise.all(stations.map((station, index) => clientFor(station, tokens[index], flags.stationTimeoutMs)));
  return { stations, clients };
}

/** Prints the summary of a fleet operation; the exit code (1 when any station did not end ok). */
export function report(operation: string, outcomes: StationOutcome[], output: Output): number {
  const ok = outcomes.every((outcome) => outcome.result === 'ok');
  output.result({ operation, ok, stations: outcomes }, () => formatFleetSummary(operation, outcomes));
  return ok ? ExitCodes.success : ExitCodes.failure;
}

/** Runs `work` on every station, a bounded number at a time; a throw is that station's failure. */
export async function onEachStation(
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
 * Puts a station back exactly as it was after a failed check: each pid gets back the binding
 * it had, `previous` included (a later rollback goes where it would have gone), or none after a
 * first activation (`POST /restore`, one locked operation on the station).
 */
async function undo(client: RunnerClient, plan: ActivationPlan, how: string, before: ActiveBindings): Promise<string> {
  if (how === 'unchanged') return 'nothing was changed';
  await client.restore(plan.name, plan.version, Object.fromEntries(plan.pids.map((pid) => [pid, before[pid] ?? null])));
  return `restored ${plan.pids.map((pid) => (before[pid] === undefined ? `${pid} unbound (first activation)` : `${pid} ${before[pid]!.name} ${before[pid]!.version}`)).join(', ')}`;
}

/** A check run on a station once its pids run the new version: the canary's, or every station's with `--verify-step`. */
export type StationCheck = (client: RunnerClient, pid: string) => Promise<{ ok: boolean; detail: string }>;

/** The check that runs one step (image, step index, user params) on the pid and wants status OK. */
function stepCheck(step: { image: string; stepIndex: number; userParams: Record<string, unknown> }): StationCheck {
  return async (client, pid) => {
    const body = await client.execute({
      pid,
      step_index: step.stepIndex,
      image: step.image,
      ...(Object.keys(step.userParams).length === 0 ? {} : { user_params: step.userParams }),
    });
    return { ok: body.status === 'OK', detail: describeStep(pid, body) };
  };
}

/** One version for some pids, rolled out over a fleet. */
export interface ActivationPlan {
  name: string;
  version: string;
  pids: string[];
  readyTimeoutMs: number;
}

/**
 * Activates the plan on one station, waits until it is ready and runs `check` (if any) on its
 * first pid; a failure puts the station back exactly as it was and says how.
 */
async function activateStation(
  client: RunnerClient,
  station: Station,
  plan: ActivationPlan,
  options: { canary: boolean; check?: StationCheck; failCode: ErrorCode },
): Promise<StationOutcome> {
  const extra = options.canary ? { canary: true } : {};
  const { bindings: before } = await client.bindings();
  const how = await activateOnStation(client, plan.name, plan.version, plan.pids, before);
  const fail = async (detail: string, code: ErrorCode): Promise<StationOutcome> => {
    const undone = await undo(client, plan, how, before).catch((error: unknown) => `could not restore the bindings (${(error as Error).message})`);
    return { station: station.name, url: station.url, result: 'failed', code, detail: `${detail}; ${undone}`, ...extra };
  };
  const ready = await waitReady(client, plan.readyTimeoutMs);
  if (!ready.ready)
    return fail(
      `not ready ${plan.readyTimeoutMs} ms after ${how === 'unchanged' ? 'the check' : 'the activation'}: ${ready.reasons.join('; ')}`,
      options.canary ? ErrorCodes.canaryFailed : ErrorCodes.stationFailed,
    );
  const summary = `${how} ${plan.pids.join(',')} -> ${plan.name} ${plan.version}, ready`;
  if (options.check === undefined) return ok(station, options.canary ? `${summary} (no --canary-image: step skipped)` : summary, extra);
  const pid = plan.pids[0]!;
  const label = options.canary ? 'canary step' : 'verify step';
  try {
    const checked = await options.check(client, pid);
    if (!checked.ok) return await fail(`${label} failed: ${checked.detail}`, options.failCode);
    return ok(station, `${summary}, ${checked.detail}`, extra);
  } catch (error) {
    return fail(`${label} failed: ${(error as Error).message}`, options.failCode);
  }
}

/**
 * Rolls a plan out over a fleet: the canary (first station) first: activate, wait until ready,
 * run its check; only then the rest, a bounded number at a time, each with `verify` when given.
 * A station that fails is put back exactly as it was; after a failed canary no other station
 * is touched, and after a failed verify no further station is started.
 */
export async function rollOut(
  fleet: Fleet,
  plan: ActivationPlan,
  flags: FleetFlags,
  checks: { canary?: StationCheck; verify?: StationCheck },
): Promise<StationOutcome[]> {
  const [canaryStation, ...rest] = fleet.stations;
  const skipAll = (detail: string) => rest.map((station): StationOutcome => ({ station: station.name, url: station.url, result: 'skipped', detail }));
  const { canaryReplay: last, canaryMaxDisagreements: allowed } = flags as FleetActivateFlags;
  const replayed = last === undefined ? undefined : await canaryReplay(fleet.clients[0]!, canaryStation!, plan, { last, maxDisagreements: allowed ?? 0 });
  if (replayed !== undefined && 'failed' in replayed) return [replayed.failed, ...skipAll('not touched: the canary replay failed')];
  const canary = await activateStation(fleet.clients[0]!, canaryStation!, plan, {
    canary: true,
    failCode: ErrorCodes.canaryFailed,
    ...(checks.canary === undefined ? {} : { check: checks.canary }),
  }).catch((error: unknown) => ({ ...failedOutcome(canaryStation!, error), canary: true }));
  const skip = (station: Station, detail: string): StationOutcome => ({ station: station.name, url: station.url, result: 'skipped', detail });
  if (replayed !== undefined && canary.result === 'ok') canary.detail = `${replayed.summary}; ${canary.detail}`;
  if (canary.result !== 'ok') return [canary, ...rest.map((station) => skip(station, 'not touched: the canary failed'))];
  let halted: string | undefined;
  const others = await boundedMap(rest, flags.concurrency ?? 4, async (station, index) => {
    if (halted !== undefined) return skip(station, `not touched: ${halted} failed its verify step`);
    const outcome = await activateStation(fleet.clients[index + 1]!, station, plan, {
      canary: false,
      failCode: ErrorCodes.stationFailed,
      ...(checks.verify === undefined ? {} : { check: checks.verify }),
    }).catch((error: unknown) => failedOutcome(station, error));
    if (outcome.result === 'failed' && checks.verify !== undefined && outcome.detail.startsWith('verify step failed')) halted ??= station.name;
    return outcome;
  });
  return [canary, ...others];
}

/**
 * `runner activate <name> <version> --pid P --fleet stations.json`: the canary (first station)
 * first: activate, wait until ready, run one step on `--canary-image` (with `--canary-params`);
 * only then the rest, a bounded number at a time (with `--verify-step`, each runs the step too).
 * A station that fails is put back exactly as it was; after a failed canary no other station
 * is touched.
 */
export async function fleetActivate(name: string, version: string, flags: RunnerActivateOptions & FleetActivateFlags, output: Output): Promise<number> {
  const example = `procvision runner activate ${name} ${version} --pid ${flags.pid.join(',')} --fleet stations.json --canary-image part.jpg`;
  const fleet = await openFleet(flags, example);
  const plan: ActivationPlan = { name, version, pids: flags.pid, readyTimeoutMs: flags.readyTimeoutMs ?? 60_000 };
  const outcomes = await rollOut(fleet, plan, flags, await fleetChecks(flags, example, output));
  return report(`activate ${name} ${version}`, outcomes, output);
}

/**
 * The checks of a rollout from the canary flags: the canary's step (`--canary-image`,
 * `--canary-step`, `--canary-params`) and, with `--verify-step`, the same step on every station.
 */
export async function fleetChecks(flags: FleetActivateFlags, example: string, output: Output): Promise<{ canary?: StationCheck; verify?: StationCheck }> {
  const userParams = await readParamsOption(flags.canaryParams, example, '--canary-params');
  const image = flags.canaryImage === undefined ? undefined : await readImageFile(flags.canaryImage, example);
  if (image === undefined && (flags.verifyStep === true || flags.canaryParams !== undefined))
    throw new UsageError('--verify-step and --canary-params need the step image: give --canary-image', { example });
  const check =
    image === undefined ? undefined : stepCheck({ image: Buffer.from(image.bytes).toString('base64'), stepIndex: flags.canaryStep ?? 1, userParams });
  if (image === undefined) output.note('note: no --canary-image; the canary station is checked for readiness only');
  return {
    ...(check === undefined ? {} : { canary: check }),
    ...(check !== undefined && flags.verifyStep === true ? { verify: check } : {}),
  };
}

/** `runner rollback <name> --pid P --fleet stations.json`: each pid's previous version on every station. */
export async function fleetRollback(name: string, flags: RunnerActivateOptions & FleetFlags, output: Output): Promise<number> {
  const example = `procvision runner rollback ${name} --pid ${flags.pid.join(',')} --fleet stations.json`;
  const fleet = await openFleet(flags, example);
  const outcomes = await onEachStation(fleet, flags, async (client, station) => {
    const { bindings } = await client.rollback(name, flags.pid);
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
