import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { type ExitInfo, signalProcessTree, waitForExit } from '../kill-process.js';

/** How long to wait for stdout to close after an exit (a grandchild may hold it open). */
const stdoutDrainMs = 1_000;

/**
 * Resolves when the child is gone: its exit, or a spawn failure (ENOENT, EACCES: no pid and
 * no exit event ever comes; `onSpawnError` gets the error). After an exit, whatever is left of
 * the child's process group (processes the algorithm started) is SIGKILLed, and the watch waits
 * for stdout to close (at most a second, then one more I/O poll), so frames written just before
 * the exit are still read: an adapter's last `error` frame explains its exit.
 */
export async function watchExit(child: ChildProcessWithoutNullStreams, onSpawnError: (error: NodeJS.ErrnoException) => void): Promise<ExitInfo> {
  const spawnFailure = new Promise<ExitInfo>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return;
      onSpawnError(error);
      resolve({ code: null, signal: null });
    });
  });
  const exit = await Promise.race([waitForExit(child), spawnFailure]);
  signalProcessTree(child, 'SIGKILL', { afterExit: true });
  const stdoutClosed = new Promise<void>((resolve) => (child.stdout.closed ? resolve() : child.stdout.once('close', () => resolve())));
  let timer: NodeJS.Timeout | undefined;
  const drained = new Promise<void>((resolve) => {
    timer = setTimeout(() => setImmediate(resolve), stdoutDrainMs);
  });
  await Promise.race([stdoutClosed, drained]);
  clearTimeout(timer);
  return exit;
}
