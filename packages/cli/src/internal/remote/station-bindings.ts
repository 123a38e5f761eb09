import type { RunnerClient, StorePackage } from '@procvision/runner/client';

/** `pid -> {name, version}` of a station, from its package list. */
export type StationBindings = Record<string, { name: string; version: string }>;

/** The station's packages and which version each pid runs. */
export async function stationBindings(client: RunnerClient): Promise<{ packages: StorePackage[]; bindings: StationBindings }> {
  const { packages } = await client.listPackages();
  const bindings: StationBindings = {};
  for (const entry of packages) for (const pid of entry.active_pids) bindings[pid] = { name: entry.name, version: entry.version };
  return { packages, bindings };
}

/**
 * Activates `name@version` for `pids` the way `runner activate` does locally: a switch when
 * the pids are bound to another version of the same package (the old one becomes `previous`),
 * an activation otherwise. One call, so the station's store flips every pid or none.
 */
export async function activateOnStation(
  client: RunnerClient,
  name: string,
  version: string,
  pids: readonly string[],
  bindings: StationBindings,
): Promise<'activated' | 'switched' | 'unchanged'> {
  const bound = pids.map((pid) => bindings[pid]).filter((binding) => binding !== undefined);
  if (bound.length === pids.length && bound.every((binding) => binding.name === name && binding.version === version)) return 'unchanged';
  const upgrade = bound.length > 0 && bound.every((binding) => binding.name === name);
  if (upgrade) await client.switch(name, version, pids);
  else await client.activate(name, version, pids);
  return upgrade ? 'switched' : 'activated';
}
