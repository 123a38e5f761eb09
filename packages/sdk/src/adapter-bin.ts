#!/usr/bin/env node
/**
 * `procvision-adapter`: the algorithm side of the runner <-> adapter protocol. A runner starts
 * it with the algorithm package root as working directory (or `PROC_ALGO_ROOT`); the entry is
 * `--entry <module>:<export>`, `PROC_ENTRY_POINT`, or manifest.json's `entry_point`.
 */
import { reserveStdoutForFrames } from './internal/adapter/stdout-guard.js';
import { startAdapter } from './internal/adapter/start-adapter.js';

reserveStdoutForFrames();
startAdapter(process.argv.slice(2));
