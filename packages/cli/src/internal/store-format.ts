import type { ActiveBindings, StorePackage } from '@procvision/runner/store';

/** The PIDs a version serves, for humans: its supported_pids, or "any" for a Python package that lists none. */
export function supportedPidsText(entry: { kind: string; supported_pids: readonly string[] }): string {
  return entry.kind === 'python' && entry.supported_pids.length === 0 ? 'any' : entry.supported_pids.join(', ');
}

/** The human form of `runner list`: one line per installed version, with its bound PIDs. */
export function formatPackageList(document: { store: string; packages: StorePackage[]; active: ActiveBindings }): string {
  if (document.packages.length === 0) return `no packages installed in ${document.store}`;
  const lines = document.packages.map((entry) => {
    const pids = entry.active_pids.length === 0 ? 'not active' : `active for ${entry.active_pids.join(', ')}`;
    const kind =
      entry.python === undefined
        ? 'node'
        : `python ${entry.python.python_version} (${entry.python.venv_python} from ${entry.python.executable}, SDK ${entry.python.generation})`;
    return `${entry.name} ${entry.version}  ${kind}  ${entry.state}  PIDs ${supportedPidsText(entry)}  ${pids}`;
  });
  return [`store ${document.store}`, ...lines].join('\n');
}
