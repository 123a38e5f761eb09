import { ErrorCodes, ProcVisionError } from '@procvision/manifest';
import type { DesiredBinding, DesiredState } from './desired-state.js';
import { openPackageRepository, type PackageRepository } from './package-repository.js';

/** What the reconciler needs of a package store (`PackageStore` has it). */
export interface ReconcileStore {
  list(): Promise<unknown>;
  bindings(): Promise<Record<string, { name: string; version: string }>>;
  install(zipPath: string): Promise<unknown>;
  switch(name: string, version: string, pids: readonly string[]): Promise<unknown>;
}

/** One pid of the desired state, as the station has it. */
export interface PidState {
  pid: string;
  desired: { name: string; version: string };
  actual: { name: string; version: string } | null;
  /** `in_sync`; `pending` (not reconciled yet); `failed` (the last reconcile could not bring it; `reason` says why, the pid keeps serving `actual`). */
  status: 'in_sync' | 'pending' | 'failed';
  reason?: string;
  code?: string;
}

/** What `GET /state` answers: desired vs actual, per pid, and the last reconcile. */
export interface ReconcileState {
  repository: string;
  poll_interval_ms: number;
  /** True when every desired pid runs its desired version. */
  in_sync: boolean;
  /** Reconciles run since start. */
  reconciles: number;
  /** The reconcile under way (a pid may already show its new version before it ends), or null. */
  reconciling: { started_at: string } | null;
  last_reconcile: { started_at: string; finished_at: string; ok: boolean; changes: string[] } | null;
  /** The last reconcile's first failure (desired.json unreadable, an install or activation refused), or null when it succeeded. */
  last_error: { at: string; code: string; message: string } | null;
  pids: PidState[];
  /** Pids bound on the station that desired.json does not name (left as they are). */
  unmanaged: string[];
}

/** Options of {@link Reconciler}. */
export interface ReconcilerOptions {
  /** Folder or https:// base URL holding desired.json and the zips. */
  repository: string;
  /** Time between reconciles (default 30000 ms; minimum 200). */
  pollIntervalMs?: number;
  /** Told after every reconcile (metrics, logs). */
  onReconciled?: (state: ReconcileState, error: ProcVisionError | undefined) => void;
  /** Told when the reconciler changes the bindings of pids (metrics follow their processes). */
  onActivated?: (pids: readonly string[]) => Promise<void>;
}

const codeOf = (error: unknown): string => (ProcVisionError.isInstance(error) ? error.code : ErrorCodes.unknownError);

/**
 * Brings a station's store to the desired state of a repository, at start, every poll interval
 * and on request: installs the zips it lacks (the store's signature policy applies), switches
 * the pids (the new version's process is ready before the pointer flips; the old binding is kept
 * as `previous`), and leaves a pid whose zip is missing or refused as it is, saying why. One
 * reconcile at a time; the repository is only read.
 */
export class Reconciler {
  private readonly repository: PackageRepository;
  private readonly pollIntervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ReconcileState> | undefined;
  private again: Promise<ReconcileState> | undefined;
  private stopped = false;
  private runs = 0;
  private startedAt: string | undefined;
  private last: ReconcileState['last_reconcile'] = null;
  private lastError: ReconcileState['last_error'] = null;
  private desired: DesiredState | undefined;
  private failures = new Map<string, { identity?: string; code: string; reason: string }>();

  constructor(
    private readonly store: ReconcileStore,
    private readonly options: ReconcilerOptions,
  ) {
    this.repository = openPackageRepository(options.repository);
    this.pollIntervalMs = Math.max(200, options.pollIntervalMs ?? 30_000);
  }

  /** Reconciles now, then every poll interval. */
  start(): void {
    void this.reconcile();
  }

  /** Runs a reconcile (after the one in progress, if any) and resolves with the state after it. */
  reconcile(): Promise<ReconcileState> {
    if (this.running === undefined) {
      this.running = this.runOnce().finally(() => {
        this.running = undefined;
        this.schedule();
      });
      return this.running;
    }
    this.again ??= this.running.then(() => {
      this.again = undefined;
      return this.reconcile();
    });
    return this.again;
  }

  /** Stops polling and waits for a reconcile in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Desired vs actual now. */
  async state(): Promise<ReconcileState> {
    const bindings = await this.store.bindings();
    const desired = this.desired?.bindings ?? [];
    const named = new Set(desired.map((binding) => binding.pid));
    const pids = desired.map((binding): PidState => {
      const bound = bindings[binding.pid];
      const actual = bound === undefined ? null : { name: bound.name, version: bound.version };
      const inSync = actual?.name === binding.name && actual.version === binding.version;
      const failure = this.failures.get(binding.pid);
      return {
        pid: binding.pid,
        desired: { name: binding.name, version: binding.version },
        actual,
        status: inSync ? 'in_sync' : failure === undefined ? 'pending' : 'failed',
        ...(inSync || failure === undefined ? {} : { reason: failure.reason, code: failure.code }),
      };
    });
    return {
      repository: this.repository.location,
      poll_interval_ms: this.pollIntervalMs,
      in_sync: this.desired !== undefined && pids.every((pid) => pid.status === 'in_sync'),
      reconciles: this.runs,
      reconciling: this.startedAt === undefined ? null : { started_at: this.startedAt },
      last_reconcile: this.last,
      last_error: this.lastError,
      pids,
      unmanaged: Object.keys(bindings)
        .filter((pid) => !named.has(pid))
        .sort(),
    };
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reconcile(), this.pollIntervalMs);
    this.timer.unref();
  }

  private async runOnce(): Promise<ReconcileState> {
    const startedAt = new Date().toISOString();
    this.startedAt = startedAt;
    const changes: string[] = [];
    let firstError: ProcVisionError | undefined;
    const fail = (error: unknown): void => {
      const wrapped = ProcVisionError.isInstance(error) ? error : new ProcVisionError(ErrorCodes.unknownError, (error as Error).message, { cause: error });
      firstError ??= wrapped;
    };
    try {
      this.desired = await this.repository.desired();
      await this.apply(this.desired, changes, fail);
    } catch (error) {
      fail(error);
    }
    this.runs += 1;
    this.startedAt = undefined;
    this.last = { started_at: startedAt, finished_at: new Date().toISOString(), ok: firstError === undefined, changes };
    this.lastError = firstError === undefined ? null : { at: this.last.finished_at, code: firstError.code, message: firstError.message };
    const state = await this.state();
    this.options.onReconciled?.(state, firstError);
    return state;
  }

  private async apply(desired: DesiredState, changes: string[], fail: (error: unknown) => void): Promise<void> {
    const bindings = await this.store.bindings();
    const installed = (await this.store.list()) as Array<{ name: string; version: string }>;
    const groups = new Map<string, { binding: DesiredBinding; pids: string[] }>();
    const wanted = new Set(desired.bindings.map((binding) => binding.pid));
    for (const pid of this.failures.keys()) if (!wanted.has(pid)) this.failures.delete(pid);
    for (const binding of desired.bindings) {
      const bound = bindings[binding.pid];
      if (bound?.name === binding.name && bound.version === binding.version) {
        this.failures.delete(binding.pid);
        continue;
      }
      const key = `${binding.name}@${binding.version}`;
      const group = groups.get(key) ?? { binding, pids: [] };
      group.pids.push(binding.pid);
      groups.set(key, group);
    }
    for (const [key, { binding, pids }] of groups) {
      const record = (error: unknown, identity?: string): void => {
        const reason = `${key}: ${(error as Error).message}`;
        for (const pid of pids) this.failures.set(pid, { code: codeOf(error), reason, ...(identity === undefined ? {} : { identity }) });
        fail(ProcVisionError.isInstance(error) ? new ProcVisionError(error.code, reason, { cause: error }) : error);
      };
      if (!installed.some((entry) => entry.name === binding.name && entry.version === binding.version)) {
        let zip;
        try {
          zip = await this.repository.zipFor(binding);
        } catch (error) {
          record(error);
          continue;
        }
        const earlier = this.failures.get(pids[0]!);
        if (earlier?.identity === zip.identity) {
          // The same zip was refused before: not installed again until it changes.
          await zip.release();
          fail(new ProcVisionError(earlier.code as ProcVisionError['code'], earlier.reason));
          continue;
        }
        try {
          await this.store.install(zip.path);
          changes.push(`installed ${key}`);
        } catch (error) {
          record(error, zip.identity);
          continue;
        } finally {
          await zip.release();
        }
      }
      try {
        await this.store.switch(binding.name, binding.version, pids);
        changes.push(`${pids.join(',')} -> ${key}`);
        for (const pid of pids) this.failures.delete(pid);
        await this.options.onActivated?.(pids);
      } catch (error) {
        record(error);
      }
    }
  }
}
