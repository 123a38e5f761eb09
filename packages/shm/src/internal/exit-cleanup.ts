const cleanups = new Set<() => void>();
let installed = false;

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // Exit path: keep unlinking the other segments.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  // A host with its own listeners for this signal decides what happens (it may keep running
  // and keep using its segments); when it exits, the 'exit' hook unlinks them.
  if (process.listenerCount(signal) > 1) return;
  // We are the only listener: unlink, restore the default behaviour and re-raise the signal
  // so the process still dies of it (as if this package had never listened).
  runAll();
  process.removeListener(signal, onSignal);
  process.kill(process.pid, signal);
}

/** Runs `cleanup` on process exit and on SIGINT/SIGTERM; returns the unregister function. */
export function onProcessExit(cleanup: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', runAll);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
