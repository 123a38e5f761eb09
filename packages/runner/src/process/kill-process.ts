import type { ChildProcess } from 'node:child_process';
import { signalProcessTree as signalProcessGroup, type SignalProcessTreeOptions } from '@procvision/packager/process';
import { endWindowsJob } from './windows-job.js';

/**
 * Sends `signal` to the child's process tree (packager's signalProcessTree); a child started in
 * a Windows Job Object (windows-job.ts) is ended with its whole job instead.
 */
export function signalProcessTree(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL', options: SignalProcessTreeOptions = {}): void {
  if (!endWindowsJob(child)) signalProcessGroup(child, signal, options);
}

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
 * Windows: an adapter runs in a kill-on-close Job Object (windows-job.ts), ended at once with
 * its whole tree (no signals there: the graceful part is the `shutdown` frame sent before).
 * Without the job launcher: `taskkill /T`, then `taskkill /T /F` after the grace period.
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
