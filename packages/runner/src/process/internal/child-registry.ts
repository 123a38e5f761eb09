import type { ChildProcess } from 'node:child_process';
import { signalProcessTree } from '../kill-process.js';

const live = new Set<ChildProcess>();
let hooked = false;

/**
 * Remembers a child until it exits, so that a runner that exits (normally or on an
 * uncaught error) SIGKILLs the process groups of its children instead of orphaning them:
 * they run detached, in groups of their own.
 */
export function registerChild(child: ChildProcess): void {
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const running of live) signalProcessTree(running, 'SIGKILL');
    });
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => {
    if (child.pid === undefined) live.delete(child);
  });
}
