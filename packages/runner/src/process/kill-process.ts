import { type ChildProcess, execFile } from 'node:child_process';

/** How a child process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Resolves when `child` has exited (at once when it already has). */
export function waitForExit(child: ChildProcess): Promise<ExitInfo> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/**
 * Sends `signal` to the child's whole process group (the runner spawns every adapter as a
 * group leader, so grandchildren the algorithm started go too). On Windows, where signals do
 * not exist, `taskkill /T` ends the process tree (`/F` for SIGKILL).
 */
export function signalProcessTree(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL'): void {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  if (process.platform === 'win32') {
    const args = ['/pid', String(pid), '/T', ...(signal === 'SIGKILL' ? ['/F'] : [])];
    execFile('taskkill', args, () => {});
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Resolves with the exit if it happens within `ms`, else with undefined. */
export async function exitWithin(exit: Promise<ExitInfo>, ms: number): Promise<ExitInfo | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  const first = await Promise.race([exit, graceOver]);
  clearTimeout(timer);
  return first;
}

/** Options for {@link terminateProcess}. */
export interface TerminateOptions {
  /** How long the child has to exit after SIGTERM before SIGKILL (`kill_grace_ms`). */
  graceMs: number;
  /** Called when SIGKILL is sent because SIGTERM was ignored. */
  onEscalate?: () => void;
}

/**
 * Ends a child: SIGTERM to its process group, then SIGKILL after `graceMs` if it is still
 * there. Never hangs: SIGKILL cannot be ignored (a SIGSTOPped process dies too).
 *
 * Windows: `taskkill /T` then, after the grace period, `taskkill /T /F`. Console programs
 * without a window rarely react to the first, so expect the forced kill there.
 */
export async function terminateProcess(child: ChildProcess, options: TerminateOptions): Promise<ExitInfo> {
  const exit = waitForExit(child);
  signalProcessTree(child, 'SIGTERM');
  const exited = await exitWithin(exit, options.graceMs);
  if (exited !== undefined) return exited;
  options.onEscalate?.();
  signalProcessTree(child, 'SIGKILL');
  return exit;
}

/** Ends a child at once with SIGKILL (a hung or protocol-breaking process). */
export function killProcess(child: ChildProcess): Promise<ExitInfo> {
  const exit = waitForExit(child);
  signalProcessTree(child, 'SIGKILL');
  return exit;
}
