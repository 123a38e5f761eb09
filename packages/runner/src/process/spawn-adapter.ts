import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { registerChild } from './internal/child-registry.js';
import { inWindowsJob, markJobContained } from './windows-job.js';

/** How to start an algorithm's adapter: any command that speaks docs/spec/protocol.md. */
export interface AdapterCommand {
  /** The executable, e.g. `process.execPath` or `python3`. */
  command: string;
  /** Its arguments, e.g. `[adapterBinPath]` or `['-m', 'procvision_algorithm_sdk.adapter']`. */
  args?: readonly string[];
}

/** Where and how to spawn one adapter process. */
export interface SpawnSpec extends AdapterCommand {
  /** The package root: the child's working directory. */
  cwd: string;
  /** The complete environment of the child (see {@link adapterEnvironment}). */
  env: Record<string, string>;
}

/** Variables copied from the runner's environment when present; nothing else leaks through. */
export const inheritedEnvironmentKeys = [
  'PATH',
  'HOME',
  'USERPROFILE',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'TEMP',
  'TMP',
  'SystemRoot',
  'SYSTEMROOT',
  'ComSpec',
  'PATHEXT',
  'PROC_SHM_DIR',
] as const;

/**
 * The controlled environment of an adapter: a short allow-list of the runner's variables
 * ({@link inheritedEnvironmentKeys}), then `PROC_ALGO_ROOT` (the package root), then
 * `extra` (e.g. `PROC_ENTRY_POINT`, `PYTHONPATH`), which wins. `AlgorithmProcess` also sets
 * `PROC_MAX_DEFECTS` from `max_defects` so adapter and runner truncate alike, and
 * `PROC_LOG_LEVEL` from `log_level` so the algorithm logs at the level the runner keeps.
 */
export function adapterEnvironment(root: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of inheritedEnvironmentKeys) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, PROC_ALGO_ROOT: root, ...extra };
}

/**
 * Spawns an adapter with piped stdio, in a process group of its own (POSIX) or a kill-on-close
 * Job Object (Windows, windows-job.ts) so that it can be ended with everything it started, and
 * registers it for clean-up at runner exit.
 */
export function spawnAdapter(spec: SpawnSpec): ChildProcessWithoutNullStreams {
  const launch = inWindowsJob(spec.command, spec.args ?? []);
  const child = spawn(launch.command, launch.args, {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  if (launch.contained) markJobContained(child);
  registerChild(child);
  return child;
}
