import { constants } from 'node:os';

const signals = ['SIGINT', 'SIGTERM'] as const;

/**
 * Makes Ctrl-C (SIGINT) and SIGTERM end the command at once with exit code 128 + the signal
 * number (130, 143) and a line saying so. The packages register their exit work through
 * `@procvision/manifest/process-exit` (runner: SIGKILL the algorithm process groups; shm:
 * unlink segments; packager: stop npm, remove staging folders; store: release the store
 * lock); all step aside for this listener, and `process.exit`
 * then runs all of it. Not for `runner serve`, which
 * stops gracefully on these signals itself.
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
