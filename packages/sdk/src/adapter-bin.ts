#!/usr/bin/env node
/**
 * `procvision-adapter`: the algorithm side of the runner <-> adapter protocol. A runner starts
 * it with the algorithm package root as working directory (or `PROC_ALGO_ROOT`); the entry is
 * `--entry <module>:<export>`, `PROC_ENTRY_POINT`, or manifest.json's `entry_point`.
 * `--algorithm-thread main|worker` (or `PROC_ALGORITHM_THREAD`) picks where the algorithm runs:
 * `main` (default, fastest) or `worker` (pings answered during a synchronous call).
 *
 * Start-up keeps cold start short: `hello` goes out first, then stdout is guarded (before any
 * algorithm code loads), and the algorithm is imported when the runner's `hello` arrives; zod is
 * loaded only when a check needs it (eslint.config.js keeps zod and sharp out of these start-up
 * modules).
 */
import { reserveStdoutForFrames } from './internal/adapter/stdout-guard.js';
import { algorithmThread } from './internal/adapter/algorithm-thread.js';
import { startMainThread } from './internal/adapter/start-main-thread.js';

// Stacks of the algorithm's errors point at its TypeScript (dist/*.js.map -> src/...ts:line:col).
process.setSourceMapsEnabled(true);
const thread = algorithmThread(process.argv.slice(2));
if (thread === 'worker') {
  const { startEarly } = await import('./internal/adapter/early-start.js');
  const early = startEarly(new URL('./adapter-worker.js', import.meta.url));
  reserveStdoutForFrames();
  const { startAdapter } = await import('./internal/adapter/start-adapter.js');
  startAdapter(process.argv.slice(2), early);
} else {
  startMainThread(process.argv.slice(2), thread);
}
