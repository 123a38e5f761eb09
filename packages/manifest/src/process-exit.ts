/**
 * @packageDocumentation
 * `@procvision/manifest/process-exit`: the end of processes, without zod. {@link onProcessExit}
 * registers this process's exit work; {@link isProcessAlive} tells whether another one has ended,
 * {@link isOwnerGone} whether the owner recorded for a folder or lock is gone (pid reuse and reboots included),
 * {@link sweepLeftoverFolders} removes the folders of owners that are gone.
 */
import signalExit from 'signal-exit';

export { isProcessAlive } from './process-alive.js';
export {
  type ProcessOwner,
  type LeftoverSweepOptions,
  currentProcessOwner,
  isOwnerGone,
  isPidOwnerGone,
  ownerNameTag,
  sweepLeftoverFolders,
  writeFolderOwner,
} from './process-owner.js';

/**
 * Runs `cleanup` once when the process ends: on a normal exit or `process.exit()`, and on
 * SIGINT/SIGTERM (and the other fatal signals) when nothing else listens for them, in which
 * case every hook runs and the signal is re-raised so the process still dies of it. A host
 * with its own listener for the signal decides (it may keep running); the hook runs when it
 * exits. The one exit mechanism of every ProcVision package (docs/design.md, "Exits"): signals
 * go through `signal-exit` 3 (the store lock's release included), so the packages never wait
 * on each other; the exit itself is also heard through `process.on('exit')`,
 * because a later signal-exit 4 (write-file-atomic's) replaces version 3's exit patch.
 * `cleanup` must be synchronous; a throw is swallowed so the other hooks still run.
 * @returns a function that unregisters the hook
 */
export function onProcessExit(cleanup: () => void): () => void {
  let done = false;
  const runOnce = (): void => {
    if (done) return;
    done = true;
    try {
      cleanup();
    } catch {
      // Exit path: the other hooks still run.
    }
  };
  const removeSignalHook = signalExit(runOnce);
  process.on('exit', runOnce);
  return () => {
    removeSignalHook();
    process.removeListener('exit', runOnce);
  };
}
