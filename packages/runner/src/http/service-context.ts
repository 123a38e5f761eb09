import type { FileReadGate } from './file-read-gate.js';
import type { Runner } from '../process/runner.js';
import type { ServiceLimits } from './service-limits.js';
import type { ServiceMetrics } from './service-metrics.js';

/** What every route works with. */
export interface ServiceContext {
  /** The step engine: sessions, steps, resets. */
  runner: Runner;
  metrics: ServiceMetrics;
  limits: ServiceLimits;
  /** Folders callers may name files in (undefined: any path; empty: none). */
  allowedRoots: readonly string[] | undefined;
  /** Reads of caller-named files in flight (bounded by `limits.maxConcurrentFileReads`). */
  fileReads: FileReadGate;
  /** Follows (metrics) the processes that serve these pids now, e.g. after a switch. */
  watchPids(pids: readonly string[]): Promise<void>;
  /** Folder for uploaded zips (each removed after its request). */
  readonly uploadDirectory: string;
}
