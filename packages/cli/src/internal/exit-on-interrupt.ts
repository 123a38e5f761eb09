import { constants } from 'node:os';

const signals = ['SIGINT', 'SIGTERM'] as const;

/**
 * Makes Ctrl-C (SIGINT) and SIGTERM end the command at once with exit code 128 + the signal
 * number (130, 143). Without it, the listeners that `@procvision/shm` (segment cleanup) and
 * proper-lockfile's signal-exit (lock release) install each defer to the other, and the
 * signal is ignored: `run` kept running its step to the end. `process.exit` runs their exit
 * hooks: the runner SIGKILLs its algorithm process groups, shm unlinks its segments, the store
 * lock is released. Not for `runner serve`, which stops gracefully on these signals itself.
 */
export function exitOnInterrupt(): void {
  for (const signal of signals) {
    process.once(signal, () => {
      process.stderr.write(`\nprocvision: interrupted by ${signal}; stopping the algorithm process and freeing shared memory\n`);
      process.exit(128 + constants.signals[signal]);
    });
  }
}

/** True for `procvision runner serve ...` (its own graceful signal handling applies). */
export function isServeCommand(argv: readonly string[]): boolean {
  const [first, second] = argv.slice(2).filter((arg) => !arg.startsWith('-'));
  return first === 'runner' && second === 'serve';
}
