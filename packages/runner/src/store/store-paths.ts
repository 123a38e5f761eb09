import { join, resolve } from 'node:path';

/** Every path of a package store (docs/spec/delivery.md "Store layout"). */
export interface StorePaths {
  /** The store root (`runtime_store/`). */
  root: string;
  /** Archived original zips; a zip dropped here is installed by a scan. */
  zips: string;
  /** Installed packages: `deployed/<name>/<version>/`, staging folders `.staging-<random>`. */
  deployed: string;
  /** Every install: `registry.json`. */
  registry: string;
  /** pid -> binding: `active.json`. */
  active: string;
  /** The audit trail (JSON lines). */
  logs: string;
  /** The inter-process lock. */
  lock: string;
  /** Recorded steps: `records/<pid>/<seq>.seg` (see `recording` in config.json). */
  records: string;
  /** One record per live runner service on this store: `services/<host>-<pid>.json` (versions it runs). */
  services: string;
}

/** The store root when none is given: `$PROCVISION_STORE`, else `./runtime_store`. */
export function defaultStoreRoot(): string {
  const fromEnvironment = process.env.PROCVISION_STORE;
  return resolve(fromEnvironment !== undefined && fromEnvironment !== '' ? fromEnvironment : 'runtime_store');
}

/** The layout of the store rooted at `root`. */
export function storePaths(root: string): StorePaths {
  const absoluteRoot = resolve(root);
  return {
    root: absoluteRoot,
    zips: join(absoluteRoot, 'algorithms', 'zips'),
    deployed: join(absoluteRoot, 'algorithms', 'deployed'),
    registry: join(absoluteRoot, 'registry.json'),
    active: join(absoluteRoot, 'active.json'),
    logs: join(absoluteRoot, 'logs'),
    lock: join(absoluteRoot, '.lock'),
    records: join(absoluteRoot, 'records'),
    services: join(absoluteRoot, 'services'),
  };
}

/** The folder of one installed version. */
export function deployedPath(paths: StorePaths, name: string, version: string): string {
  return join(paths.deployed, name, version);
}
