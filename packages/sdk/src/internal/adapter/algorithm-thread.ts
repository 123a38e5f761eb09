/**
 * Where the algorithm runs: `main` (default) on the adapter's main thread, read in a blocking
 * loop like the Python adapter, or `worker` in a worker thread, so that pings are answered
 * while a synchronous algorithm runs (announced as `ping_while_busy`). See docs/design.md,
 * "Adapter speed".
 */
type AlgorithmThread = 'main' | 'worker';

/**
 * The thread chosen by `--algorithm-thread main|worker` (or `--algorithm-thread=...`), else
 * `PROC_ALGORITHM_THREAD`, else `main`. An unknown value is refused with a message naming it.
 */
export function algorithmThread(argv: readonly string[], environment: NodeJS.ProcessEnv = process.env): AlgorithmThread | { error: string } {
  let value: string | undefined;
  let source = '--algorithm-thread';
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (argument === '--algorithm-thread') value = argv[index + 1] ?? '';
    else if (argument.startsWith('--algorithm-thread=')) value = argument.slice('--algorithm-thread='.length);
  }
  if (value === undefined && environment.PROC_ALGORITHM_THREAD !== undefined && environment.PROC_ALGORITHM_THREAD !== '') {
    value = environment.PROC_ALGORITHM_THREAD;
    source = 'PROC_ALGORITHM_THREAD';
  }
  if (value === undefined || value === 'main') return 'main';
  if (value === 'worker') return 'worker';
  return { error: `${source} must be "main" or "worker", got ${JSON.stringify(value)}` };
}
