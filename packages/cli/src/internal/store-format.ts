import type { ActiveBindings, StorePackage } from '@procvision/runner/store';

/** The human form of `runner list`: one line per installed version, with its bound PIDs. */
export function formatPackageList(document: { store: string; packages: StorePackage[]; active: ActiveBindings }): string {
  if (document.packages.length === 0) return `no packages installed in ${document.store}`;
  const lines = document.packages.map((entry) => {
    const pids = entry.active_pids.length === 0 ? 'not active' : `active for ${entry.active_pids.join(', ')}`;
    return `${entry.name} ${entry.version}  ${entry.state}  PIDs ${entry.supported_pids.join(', ')}  ${pids}`;
  });
  return [`store ${document.store}`, ...lines].join('\n');
}
