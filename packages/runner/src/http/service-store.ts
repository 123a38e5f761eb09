import type { Runner } from '../runner.js';

/** `{name, version}` of an installed package. */
export interface ServicePackageRef {
  name: string;
  version: string;
}

/**
 * What the HTTP service needs from a package store: the store operations of delivery.md
 * (install, activate, switch, rollback, uninstall, list) and where an inspection for a pid
 * runs. Results are sent back as JSON as they are. {@link packageStoreService} adapts the
 * runner's `PackageStore`; tests and embedders may provide their own.
 */
export interface ServiceStore {
  /** The runner in which the store runs the active packages' processes. */
  readonly runner: Runner;
  /** Opens the store and starts the processes of the active packages. */
  open(): Promise<void>;
  /** Stops the store's processes and releases it. */
  close(): Promise<void>;
  /** Installed packages with versions, states and active pids. */
  list(): Promise<unknown>;
  /** Verifies, extracts and installs a delivery zip offline; resolves with what was installed. */
  install(zipPath: string): Promise<unknown>;
  /** Binds pids to `name@version` (its process started before the pointer flips). */
  activate(name: string, version: string, pids: string[]): Promise<unknown>;
  /** Activates `name@version` over the pids' current bindings. */
  switch(name: string, version: string, pids: string[]): Promise<unknown>;
  /** Re-activates the version each pid ran before. */
  rollback(name: string, pids: string[]): Promise<unknown>;
  /** Removes an installed version (refused with 2007 while active, unless `force`). */
  uninstall(name: string, version: string, options: { force: boolean }): Promise<unknown>;
  /** Picks up zips dropped into the store's zip folder. */
  scan?(): Promise<unknown>;
  /** The active binding of every pid. */
  bindings(): Promise<Record<string, ServicePackageRef>>;
  /**
   * The name under which the package active for `pid` runs in {@link ServiceStore.runner}.
   * @throws ProcVisionError 1001 when no package is active for the pid
   */
  packageFor(pid: string): Promise<string>;
}
