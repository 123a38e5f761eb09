import { join } from 'node:path';
import { nodeAdapterCommand } from '../process/package-spec.js';
import { pythonAdapterLaunch } from '../process/python-adapter-launch.js';
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
 * procvision_algorithm_sdk.adapter` in its root (the interop's {@link pythonAdapterLaunch}).
 */
export function packageLaunch(root: string, entry: Pick<RegistryEntry, 'kind' | 'python'>): PackageLaunch {
  if (entry.kind === 'python' && entry.python !== undefined) return pythonAdapterLaunch({ root, python: join(root, entry.python.venv_python) });
  return { adapter: nodeAdapterCommand(root), env: {} };
}
