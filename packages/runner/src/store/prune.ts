import { readActiveBindings, refersTo } from './active-bindings.js';
import type { StoreContext } from './internal/store-context.js';
import { compareVersions, readRegistry, type RegistryEntry } from './registry.js';
import { uninstallPackage } from './uninstall.js';

/** Options of {@link prunePackages}. */
export interface PruneOptions {
  /** Versions kept per package name, newest first (default 3). */
  keep?: number;
}

/**
 * Removes old versions; the caller holds the store lock. Per name, the newest `keep` versions
 * stay, and so does every version a PID runs or would roll back to. Returns what was removed.
 */
export async function prunePackages(context: StoreContext, options: PruneOptions = {}): Promise<RegistryEntry[]> {
  const keep = Math.max(0, options.keep ?? 3);
  const registry = await readRegistry(context.paths);
  const bindings = Object.values(await readActiveBindings(context.paths));
  const isProtected = (entry: RegistryEntry): boolean =>
    bindings.some((binding) => refersTo(binding, entry.name, entry.version) || refersTo(binding.previous, entry.name, entry.version));
  const names = [...new Set(registry.packages.map((entry) => entry.name))];
  const removed: RegistryEntry[] = [];
  for (const name of names) {
    const versions = registry.packages.filter((entry) => entry.name === name).sort((left, right) => compareVersions(right.version, left.version));
    for (const entry of versions.slice(keep)) {
      if (isProtected(entry)) continue;
      removed.push(await uninstallPackage(context, entry.name, entry.version));
    }
  }
  return removed;
}
