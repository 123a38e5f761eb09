import { dirname } from 'node:path';
import { type DesiredBinding, type DesiredState, openPackageRepository, readDesiredStateFile } from '@procvision/runner/store';
import type { RunnerClient, StorePackage } from '@procvision/runner/client';
import type { SignatureFlags } from '../internal/signature/signature-policy.js';
import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';
import type { Station } from '../internal/remote/fleet-file.js';
import { stationBindings, type StationBindings } from '../internal/remote/station-bindings.js';
import { failedOutcome, formatFleetSummary, type StationOutcome } from '../internal/remote/station-outcome.js';
import { type ActivationPlan, type Fleet, type FleetActivateFlags, fleetChecks, onEachStation, openFleet, rollOut } from './fleet.js';
import { uploadableZip } from './remote.js';

/** Options of `procvision fleet plan` and `fleet apply`. */
export interface FleetDesiredOptions extends FleetActivateFlags, SignatureFlags {
  /** `--desired desired.json`: the bindings the fleet should run (its zips beside it, for `apply`). */
  desired: string;
}

/** One version and the pids desired.json binds to it, in the file's order. */
interface BindingGroup {
  name: string;
  version: string;
  pids: string[];
  /** The first binding of the group (its `zip`, if named). */
  binding: DesiredBinding;
}

/** What would change for one pid on one station. */
export interface PidChange {
  pid: string;
  from: { name: string; version: string } | null;
  to: { name: string; version: string };
  /** `activate` (unbound or bound to another package), `switch` (another version of the same package; the old one becomes `previous`), `none`. */
  action: 'activate' | 'switch' | 'none';
}

/** `fleet plan`'s answer for one station. */
export interface StationPlan {
  station: string;
  url: string;
  /** False when the station could not be asked (then `error` says why). */
  reachable: boolean;
  /** Versions the station lacks (`name@version`), installed before the switch. */
  install: string[];
  /** Every desired pid, changed or not. */
  pids: PidChange[];
  /** True when nothing would change. */
  in_sync: boolean;
  error?: { code?: string; message: string };
}

function groupsOf(desired: DesiredState): BindingGroup[] {
  const groups = new Map<string, BindingGroup>();
  for (const binding of desired.bindings) {
    const key = `${binding.name}@${binding.version}`;
    const group = groups.get(key) ?? { name: binding.name, version: binding.version, pids: [], binding };
    group.pids.push(binding.pid);
    groups.set(key, group);
  }
  return [...groups.values()];
}

async function readDesired(file: string, example: string): Promise<BindingGroup[]> {
  const desired = await readDesiredStateFile(file).catch((error: unknown) => {
    throw new UsageError(`--desired ${(error as Error).message}`, { example });
  });
  if (desired.bindings.length === 0) throw new UsageError(`--desired ${file}: lists no binding`, { example });
  return groupsOf(desired);
}

/** What the desired groups change on a station with these packages and bindings. */
function planStation(station: Station, groups: readonly BindingGroup[], packages: readonly StorePackage[], bindings: StationBindings): StationPlan {
  const install = groups
    .filter((group) => !packages.some((entry) => entry.name === group.name && entry.version === group.version))
    .map((group) => `${group.name}@${group.version}`);
  const pids = groups.flatMap((group) =>
    group.pids.map((pid): PidChange => {
      const from = bindings[pid] ?? null;
      const to = { name: group.name, version: group.version };
      const action = from?.name === to.name && from.version === to.version ? 'none' : from?.name === to.name ? 'switch' : 'activate';
      return { pid, from, to, action };
    }),
  );
  const inSync = install.length === 0 && pids.every((change) => change.action === 'none');
  return { station: station.name, url: station.url, reachable: true, install, pids, in_sync: inSync };
}

async function planFleet(fleet: Fleet, groups: readonly BindingGroup[], flags: FleetDesiredOptions): Promise<StationPlan[]> {
  const plans = new Map<string, StationPlan>();
  const asked = await onEachStation(fleet, flags, async (client: RunnerClient, station) => {
    const { packages, bindings } = await stationBindings(client);
    plans.set(station.url, planStation(station, groups, packages, bindings));
    return { station: station.name, url: station.url, result: 'ok', detail: 'asked' };
  });
  return asked.map(
    (outcome, index): StationPlan =>
      plans.get(fleet.stations[index]!.url) ?? {
        station: outcome.station,
        url: outcome.url,
        reachable: false,
        install: [],
        pids: [],
        in_sync: false,
        error: { ...(outcome.code === undefined ? {} : { code: outcome.code }), message: outcome.detail },
      },
  );
}

const describeRef = (ref: { name: string; version: string } | null) => (ref === null ? 'unbound' : `${ref.name} ${ref.version}`);

function formatPlan(file: string, plans: readonly StationPlan[]): string {
  const lines = plans.map((plan) => {
    if (!plan.reachable) return `${plan.station}: UNREACHABLE (${plan.error?.code ?? ''}) ${plan.error?.message ?? ''}`;
    if (plan.in_sync) return `${plan.station}: in sync`;
    const changes = [
      ...plan.install.map((ref) => `install ${ref.replace('@', ' ')}`),
      ...plan.pids
        .filter((change) => change.action !== 'none')
        .map((change) => `${change.action} ${change.pid}: ${describeRef(change.from)} -> ${change.to.version}`),
    ];
    return `${plan.station}: ${changes.join('; ')}`;
  });
  const changing = plans.filter((plan) => plan.reachable && !plan.in_sync).length;
  const unreachable = plans.filter((plan) => !plan.reachable).length;
  return [...lines, `plan ${file}: ${changing} station(s) would change, ${plans.length - changing - unreachable} in sync, ${unreachable} unreachable`].join(
    '\n',
  );
}

/**
 * `fleet plan --fleet stations.json --desired desired.json`: asks every station what it runs
 * and prints what `fleet apply` would change there (installs, switches, activations). Changes
 * nothing. Exit 1 when a station cannot be asked.
 */
export async function fleetPlan(flags: FleetDesiredOptions, output: Output): Promise<number> {
  const example = 'procvision fleet plan --fleet stations.json --desired desired.json --token-file fleet.token';
  const groups = await readDesired(flags.desired, example);
  const fleet = await openFleet(flags, example);
  const plans = await planFleet(fleet, groups, flags);
  const ok = plans.every((plan) => plan.reachable);
  output.result({ operation: 'plan', desired: flags.desired, ok, changes: plans.filter((plan) => !plan.in_sync).length, stations: plans }, () =>
    formatPlan(flags.desired, plans),
  );
  return ok ? ExitCodes.success : ExitCodes.failure;
}

/** The verified zip of each group, from the folder of desired.json (named by `zip`, else `<name>-v<version>-*.zip`). */
async function zipsOf(groups: readonly BindingGroup[], flags: FleetDesiredOptions, example: string): Promise<Blob[]> {
  const repository = openPackageRepository(dirname(flags.desired));
  const blobs: Blob[] = [];
  for (const group of groups) {
    const zip = await repository.zipFor(group.binding).catch((error: unknown) => {
      throw new UsageError(`--desired ${flags.desired}: ${(error as Error).message}`, { example });
    });
    const upload = await uploadableZip(zip.path, flags, example);
    if (upload.name !== group.name || upload.version !== group.version)
      throw new UsageError(`${zip.path} holds ${upload.name} ${upload.version}, but desired.json binds ${group.name} ${group.version} to it`, { example });
    blobs.push(upload.blob);
  }
  return blobs;
}

/** One group of an apply: what happened on each station. */
interface GroupOutcome {
  name: string;
  version: string;
  pids: string[];
  stations: StationOutcome[];
}

const skipAll = (fleet: Fleet, detail: string): StationOutcome[] =>
  fleet.stations.map((station) => ({ station: station.name, url: station.url, result: 'skipped', detail }));

/**
 * `fleet apply --fleet stations.json --desired desired.json`: every zip desired.json needs is
 * verified here first (nothing is touched if one is missing or refused); then, one version at
 * a time, the stations that lack it install it, and the rollout runs as `runner activate
 * --fleet` does: the canary first (its step with `--canary-image`/`--canary-params`), the rest
 * after it (each with `--verify-step`); a failed station is restored exactly. The first version
 * that fails anywhere stops the apply; later versions are not touched. Pids desired.json does
 * not name are left as they are.
 */
export async function fleetApply(flags: FleetDesiredOptions, output: Output): Promise<number> {
  const example = 'procvision fleet apply --fleet stations.json --desired desired.json --canary-image part.jpg --token-file fleet.token';
  const groups = await readDesired(flags.desired, example);
  const fleet = await openFleet(flags, example);
  const checks = await fleetChecks(flags, example, output);
  const blobs = await zipsOf(groups, flags, example);
  const results: GroupOutcome[] = [];
  let stopped: string | undefined;
  for (const [index, group] of groups.entries()) {
    const label = `${group.name} ${group.version}`;
    const outcome = (stations: StationOutcome[]) => results.push({ name: group.name, version: group.version, pids: group.pids, stations });
    if (stopped !== undefined) {
      outcome(skipAll(fleet, `not touched: ${stopped} failed`));
      continue;
    }
    output.progress(`${label}: installing where missing...`);
    const installs = await onEachStation(fleet, flags, async (client, station) => {
      const { packages } = await stationBindings(client);
      if (packages.some((entry) => entry.name === group.name && entry.version === group.version))
        return { station: station.name, url: station.url, result: 'ok', detail: 'already installed' };
      await client.install(blobs[index]!);
      return { station: station.name, url: station.url, result: 'ok', detail: `installed ${label}` };
    });
    if (installs.some((install) => install.result !== 'ok')) {
      stopped = label;
      outcome(installs.map((install) => (install.result === 'ok' ? { ...install, result: 'skipped', detail: `${install.detail}; not activated` } : install)));
      continue;
    }
    output.progress(`${label}: rolling out to ${group.pids.join(',')}...`);
    const plan: ActivationPlan = { name: group.name, version: group.version, pids: group.pids, readyTimeoutMs: flags.readyTimeoutMs ?? 60_000 };
    const rolled = await rollOut(fleet, plan, flags, checks).catch((error: unknown) => fleet.stations.map((station) => failedOutcome(station, error)));
    outcome(rolled);
    if (rolled.some((station) => station.result !== 'ok')) stopped = label;
  }
  const ok = stopped === undefined;
  output.result({ operation: 'apply', desired: flags.desired, ok, groups: results }, () =>
    results.map((group) => formatFleetSummary(`apply ${group.name} ${group.version} (${group.pids.join(',')})`, group.stations)).join('\n\n'),
  );
  return ok ? ExitCodes.success : ExitCodes.failure;
}
