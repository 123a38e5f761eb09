import { join } from 'node:path';
import { nodeAdapterCommand, pythonAdapterCommand } from '../process/package-spec.js';
import type { AdapterCommand } from '../process/spawn-adapter.js';
import type { RegistryEntry } from './registry.js';

/** How an installed version's adapter is started: its command and the environment it needs. */
export interface PackageLaunch {
  adapter: AdapterCommand;
  env: Record<string, string>;
}

/**
 * The adapter of an installed version, by kind: an npm package runs its vendored SDK adapter
 * with this node; a Python package runs `<root>/.venv/bin/python -m
 * procvision_algorithm_sdk.adapter` in its root, with `PYTHONPATH=<root>` and `PROC_ALGO_ROOT`.
 */
export function packageLaunch(root: string, entry: Pick<RegistryEntry, 'kind' | 'python'>): PackageLaunch {
  // TODO(interop-core): pythonAdapterLaunch({ root, python }) once it is in main
  if (entry.kind === 'python' && entry.python !== undefined) {
    return { adapter: pythonAdapterCommand(join(root, entry.python.venv_python)), env: { PYTHONPATH: root, PROC_ALGO_ROOT: root, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' } };
  }
  return { adapter: nodeAdapterCommand(root), env: {} };
}
