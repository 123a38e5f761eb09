#!/usr/bin/env node
/**
 * `procvision-adapter`: the algorithm side of the runner <-> adapter protocol. A runner starts
 * it with the algorithm package root as working directory (or `PROC_ALGO_ROOT`); the entry is
 * `--entry <module>:<export>`, `PROC_ENTRY_POINT`, or manifest.json's `entry_point`.
 *
 * Start-up order keeps cold start short: `hello` goes out and the worker thread starts before
 * the protocol code (zod, frame codec) is imported, so both threads import at the same time.
 */
import { reserveStdoutForFrames } from './internal/adapter/stdout-guard.js';
import { startEarly } from './internal/adapter/early-start.js';

reserveStdoutForFrames();
const early = startEarly(new URL('./adapter-worker.js', import.meta.url));
const { startAdapter } = await import('./internal/adapter/start-adapter.js');
startAdapter(process.argv.slice(2), early);
