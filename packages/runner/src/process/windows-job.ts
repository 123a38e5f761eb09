import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The launcher under the package's prebuilds/ (scripts/build-job-launcher.mjs builds it). */
const launcherFile = join('prebuilds', 'win32-x64', 'procvision-job.exe');

let launcher: string | null | undefined;
const contained = new WeakSet<ChildProcess>();

function packageRoot(): string | undefined {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifestPath = join(directory, 'package.json');
    if (existsSync(manifestPath) && (JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: string }).name === '@procvision/runner') {
      return directory;
    }
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/**
 * The Windows job launcher `procvision-job.exe` of this package (x64), or undefined when it is
 * missing (a build without mingw-w64) or when `PROCVISION_WINDOWS_JOB=off`.
 */
export function windowsJobLauncher(): string | undefined {
  if (launcher === undefined) {
    const root = process.env['PROCVISION_WINDOWS_JOB'] === 'off' ? undefined : packageRoot();
    const path = root === undefined ? undefined : join(root, launcherFile);
    launcher = path !== undefined && existsSync(path) ? path : null;
    if (launcher === null && process.platform === 'win32') {
      process.emitWarning('@procvision/runner: procvision-job.exe not found: algorithm process trees are ended with taskkill /T, not a Job Object', {
        code: 'PROCVISION_NO_WINDOWS_JOB',
      });
    }
  }
  return launcher ?? undefined;
}

/**
 * How to spawn `command args` so that on Windows the process and everything it starts live in a
 * kill-on-close Job Object: `procvision-job.exe <runner pid> command args`. The launcher hands
 * the runner's pipes straight to the program, exits with its exit code, ends the job when the
 * program exits, when the runner process ends (also by TerminateProcess) or when it is itself
 * terminated. Elsewhere (or without the launcher) the command is returned unchanged.
 */
export function inWindowsJob(command: string, args: readonly string[]): { command: string; args: string[]; contained: boolean } {
  const path = process.platform === 'win32' ? windowsJobLauncher() : undefined;
  // A missing program file is left to spawn, whose ENOENT error names it (as on every platform).
  if (path === undefined || (isAbsolute(command) && !existsSync(command))) return { command, args: [...args], contained: false };
  return { command: path, args: [String(process.pid), command, ...args], contained: true };
}

/** Records that `child` is a job launcher started from {@link inWindowsJob}. */
export function markJobContained(child: ChildProcess): void {
  contained.add(child);
}

/**
 * Ends a child started in a Windows job: TerminateProcess of its launcher, whose job then ends
 * the whole tree (kill-on-close). Windows has no signals: SIGTERM and SIGKILL both end it at
 * once; the graceful stop is the protocol's `shutdown` frame and EOF on stdin, which the runner
 * sends first and gives `kill_grace_ms`. Returns false for any other child.
 */
export function endWindowsJob(child: ChildProcess): boolean {
  if (!contained.has(child)) return false;
  if (child.exitCode === null && child.signalCode === null) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  return true;
}
