import type { ChildProcess } from 'node:child_process';
import { onProcessExit } from '@procvision/manifest/process-exit';
import { signalProcessTree } from '../kill-process.js';

const live = new Set<ChildProcess>();
let hooked = false;

/**
 * Remembers a child until it exits, so that a runner that exits (normally, on an uncaught
 * error, or on a SIGINT/SIGTERM no one else listens for: onProcessExit, as in every
 * ProcVision package) SIGKILLs the process groups of its children instead of orphaning them: they run
 * detached, in groups of their own.
 */
export function registerChild(child: ChildProcess): void {
  if (!hooked) {
    hooked = true;
    onProcessExit(() => {
      for (const running of live) signalProcessTree(running, 'SIGKILL');
    });
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => {
    if (child.pid === undefined) live.delete(child);
  });
}
