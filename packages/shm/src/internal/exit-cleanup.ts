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
  runAll();
  // When we are the only listener, restore the default behaviour and re-raise the signal so
  // the process still dies of it (exit status 128 + n). A host with its own listeners decides
  // itself; the 'exit' hook then unlinks whatever remains.
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  }
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
