import type { RecordingConfig } from '../records/recording-config.js';
import type { AlgorithmProcess } from '../process/algorithm-process.js';

/** `{name, version}` of an installed package. */
export interface ServicePackageRef {
  name: string;
  version: string;
}

/** One pid's binding as active.json keeps it: the version, when it was activated, the version it replaced. */
export interface ServiceBinding extends ServicePackageRef {
  activated_at: string;
  previous: ServicePackageRef | null;
}

/**
 * What the HTTP service needs from a package store: the operations of docs/spec/delivery.md and the
 * process a pid runs. The runner's `PackageStore` satisfies it as it is; results are sent
 * back as JSON unchanged.
 */
export interface ServiceStore {
  /** The interpreter Python SDK zips are validated against (default `python3`). */
  readonly pythonInterpreter?: string;
  /** Per-PID step recording settings (none: nothing is recorded). */
  readonly recording?: RecordingConfig;
  /** Where recorded steps go (`<store>/records`). */
  readonly paths?: { readonly root: string; readonly records: string };
  /** Installed packages with their states and active pids. */
  list(): Promise<unknown>;
  /** Verifies, extracts and installs a delivery zip offline; an upload is archived under `archive` (its delivery name, or the name its client sent). */
  install(zipPath: string, options?: { archive?: { fileName: string } | { deliveryName: true } }): Promise<unknown>;
  /** Installs the zips dropped into the store's zip folder. */
  scan(): Promise<unknown>;
  /** Binds pids to `name@version`; its process is ready before the pointer flips. */
  activate(name: string, version: string, pids: readonly string[]): Promise<unknown>;
  /** Activates `name@version` over the pids' current bindings. */
  switch(name: string, version: string, pids: readonly string[]): Promise<unknown>;
  /** Re-activates the version each pid ran before, all pids in one operation. */
  rollback(name: string, pids: readonly string[]): Promise<unknown>;
  /** Unbinds pids bound to `name@version` (the undo of a first activation). */
  deactivate(name: string, version: string, pids: readonly string[]): Promise<unknown>;
  /** Gives pids bound to `name@version` back exactly the bindings they had (`null`: none). */
  restore(name: string, version: string, earlier: Readonly<Record<string, ServiceBinding | null>>): Promise<unknown>;
  /** Removes an installed version (2007 while active, unless `force`). */
  uninstall(name: string, version: string, options: { force?: boolean }): Promise<unknown>;
  /** pid -> active binding. */
  bindings(): Promise<Record<string, ServiceBinding>>;
  /**
   * The ready process of the package active for `pid`, started when needed.
   * @throws ProcVisionError 2006 when no package is active for the pid, or the start-up failure
   */
  processFor(pid: string): Promise<AlgorithmProcess>;
  /** Restarts the process of an installed version afresh (a `failed` package heals); absent: 404 for the route. */
  restart?(name: string, version: string): Promise<unknown>;
  /** A stamp of the store's shared state that differs once any process changed it (polled to notice the CLI's or another service's changes). */
  changeStamp?(): Promise<string>;
  /** Stops the processes of versions no PID is bound to any more (after a change by another process). */
  converge?(): Promise<unknown>;
  /** Records this service (pid, url, the versions it runs) on the store, so others' uninstalls name it. */
  announceService?(url: string): Promise<void>;
  /** Stops every process the store started. */
  close(): Promise<void>;
}
