import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import type { AlgorithmProcess } from '../process/algorithm-process.js';
import type { ServiceStore } from './service-store.js';

/** One package the service should be running, and how its process is. */
export interface PackageReadiness {
  name: string;
  version: string;
  pids: string[];
  /** The process state (`ready`, `starting`, `restarting`, `failed`, `stopped`...). */
  state: string;
  /** OS process id of its child process, while one runs. */
  os_pid?: number;
  /** Each instance of a pool of more than one process. */
  instances?: Array<{ state: string; os_pid?: number }>;
  /** Why it is not running, when its start failed. */
  error?: string;
  /** Since when (ISO 8601) its process has been failing without becoming ready again (it is `failed`, or retrying after `failed`). */
  failed_since?: string;
}

/** Where the service's inspections find their algorithm processes. */
export interface ProcessSource {
  /** Starts every active package (failures are kept for {@link ProcessSource.packages}, not thrown). */
  start(): Promise<void>;
  /** Stops every process. */
  stop(): Promise<void>;
  /**
   * The ready process that inspects `pid`.
   * @throws ProcVisionError 1001 when no active package serves the pid, or its start-up failure
   */
  processFor(pid: string): Promise<AlgorithmProcess>;
  /** The packages that should be running, with their process states. */
  packages(): Promise<PackageReadiness[]>;
  /**
   * Catches up with a change of the bindings made by another process (the CLI, another
   * service): stops the processes of versions no longer bound, starts the newly bound ones.
   * Resolves with the pids served now. Absent when nothing but this service changes them.
   */
  refresh?(): Promise<string[]>;
}

/** `failed_since` and a reason naming why, for a process that has been failing since it was last ready. */
export function failingFields(process: AlgorithmProcess | undefined): Pick<PackageReadiness, 'failed_since' | 'error'> {
  const since = process?.failedSince;
  if (since === undefined) return {};
  const reason = process?.failureReason;
  return { failed_since: new Date(since).toISOString(), ...(reason === undefined ? {} : { error: reason }) };
}

/** A store's "no package active" (2006) becomes the inspection's "pid not served" (1001). */
function noPackageForPid(error: unknown, pid: string): unknown {
  if (ProcVisionError.isInstance(error) && error.code === ErrorCodes.activationConflict)
    return new ProcVisionError(ErrorCodes.invalidPid, error.message, { cause: error, details: { field: 'pid', pid } });
  return error;
}

/** The processes of a package store's active packages (`active.json`). */
export function storeProcessSource(store: ServiceStore): ProcessSource {
  const failures = new Map<string, string>();
  const seen = new Map<string, AlgorithmProcess>();
  const processFor = async (pid: string) => {
    try {
      const process = await store.processFor(pid);
      seen.set(pid, process);
      return process;
    } catch (error) {
      throw noPackageForPid(error, pid);
    }
  };
  const start = async (): Promise<string[]> => {
    const pids = Object.keys(await store.bindings());
    for (const pid of pids) {
      await processFor(pid).then(
        () => failures.delete(pid),
        (error: Error) => failures.set(pid, error.message),
      );
    }
    for (const pid of [...seen.keys(), ...failures.keys()]) {
      if (pids.includes(pid)) continue;
      seen.delete(pid);
      failures.delete(pid);
    }
    return pids;
  };
  return {
    async start() {
      await start();
    },
    async refresh() {
      await store.converge?.();
      return start();
    },
    stop: () => store.close(),
    processFor,
    async packages() {
      const byPackage = new Map<string, PackageReadiness>();
      for (const [pid, ref] of Object.entries(await store.bindings())) {
        const key = `${ref.name}@${ref.version}`;
        const process = seen.get(pid);
        const current = process !== undefined && process.packageVersion === ref.version && process.packageName === ref.name ? process : undefined;
        const entry = byPackage.get(key) ?? {
          name: ref.name,
          version: ref.version,
          pids: [],
          state: current?.state ?? 'stopped',
          ...(current?.processId === undefined ? {} : { os_pid: current.processId }),
          ...failingFields(current),
        };
        entry.pids.push(pid);
        const error = failures.get(pid);
        if (error !== undefined) entry.error = error;
        byPackage.set(key, entry);
      }
      return [...byPackage.values()];
    },
  };
}
