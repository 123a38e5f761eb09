import { delimiter } from 'node:path';
import type { AdapterCommand } from './spawn-adapter.js';

/** What {@link pythonAdapterLaunch} needs to start a Python package's adapter. */
export interface PythonAdapterLaunchOptions {
  /** The package root: holds manifest.json; `PROC_ALGO_ROOT` and the first `PYTHONPATH` entry. */
  root: string;
  /** The interpreter (default `python3`); it needs numpy and Pillow, which the SDK imports. */
  python?: string;
  /**
   * Folders put on `PYTHONPATH` after the root, in order: the folder holding the
   * `procvision_algorithm_sdk` package unless it is installed for `python`, then the
   * package's own vendored dependencies (e.g. `<root>/site-packages`).
   */
  pythonPath?: readonly string[];
  /** `PROC_SHM_DIR`: where the runner writes frame files; the Runner sets its private one. */
  shmDir?: string;
}

/** A Python adapter's command and the environment it needs besides the runner's allow-list. */
export interface PythonAdapterLaunch {
  adapter: AdapterCommand;
  env: Record<string, string>;
}

/**
 * The one place that says how a Python SDK package is started: `<python> -m
 * procvision_algorithm_sdk.adapter` in the package root, with `PYTHONPATH=<root>:<pythonPath...>`,
 * `PROC_ALGO_ROOT=<root>`, `PYTHONUNBUFFERED=1`, `PYTHONDONTWRITEBYTECODE=1` (no `__pycache__`
 * in an installed package) and `PROC_SHM_DIR` when given. Pass the result as a
 * {@link PackageSpec}'s `adapter` and `env` (the store does, for installed Python packages).
 */
export function pythonAdapterLaunch(options: PythonAdapterLaunchOptions): PythonAdapterLaunch {
  const path = [options.root, ...(options.pythonPath ?? [])].join(delimiter);
  return {
    adapter: { command: options.python ?? 'python3', args: ['-m', 'procvision_algorithm_sdk.adapter'] },
    env: {
      PYTHONPATH: path,
      PROC_ALGO_ROOT: options.root,
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      ...(options.shmDir === undefined ? {} : { PROC_SHM_DIR: options.shmDir }),
    },
  };
}

/** True for the Python SDK's adapter command (`<python> -m procvision_algorithm_sdk.adapter ...`). */
export function isPythonAdapterCommand(adapter: AdapterCommand | undefined): boolean {
  const args = adapter?.args ?? [];
  return args.some((arg, index) => arg === '-m' && args[index + 1] === 'procvision_algorithm_sdk.adapter');
}
