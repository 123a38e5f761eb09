import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { type ExitInfo, waitForExit } from '../kill-process.js';

/**
 * Resolves when the child is gone: its exit, or a spawn failure (ENOENT, EACCES: no pid and
 * no exit event ever comes; `onSpawnError` gets the error). After an exit it waits up to
 * 100 ms for stdout to close, so frames written just before the exit are still read.
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
  const stdoutClosed = new Promise<void>((resolve) => (child.stdout.closed ? resolve() : child.stdout.once('close', () => resolve())));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([stdoutClosed, new Promise((resolve) => (timer = setTimeout(resolve, 100)))]);
  clearTimeout(timer);
  return exit;
}
