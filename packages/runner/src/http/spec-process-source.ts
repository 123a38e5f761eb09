import { ProcVisionError, type RunnerConfigInput, ErrorCodes } from '@procvision/manifest';
import { AlgorithmProcess } from '../process/algorithm-process.js';
import type { RunnerLogger } from '../logger.js';
import { type PackageSpec, resolvePackageSpec } from '../process/package-spec.js';
import type { PackageReadiness, ProcessSource } from './process-source.js';

/** Options of {@link specProcessSource}. */
interface SpecProcessSourceOptions {
  /** Runner config of every process. */
  config?: RunnerConfigInput;
  /** Where the processes' log lines go. */
  logger?: RunnerLogger;
  /** Restart back-off of every process. */
  restartBackoff?: { initialMs: number; maxMs: number };
}

/**
 * Processes of package folders given directly (no store): each pid goes to the first package
 * whose `supported_pids` has it.
 */
export function specProcessSource(specs: readonly PackageSpec[], options: SpecProcessSourceOptions = {}): ProcessSource {
  const processes: AlgorithmProcess[] = [];
  const failures = new Map<AlgorithmProcess, string>();
  return {
    async start() {
      for (const spec of specs) {
        const resolved = resolvePackageSpec(spec);
        processes.push(
          new AlgorithmProcess({
            packageName: resolved.name,
            packageVersion: resolved.version,
            root: resolved.root,
            adapter: resolved.adapter,
            env: resolved.env,
            ...options,
          }),
        );
      }
      await Promise.all(processes.map((process) => process.start().catch((error: Error) => failures.set(process, error.message))));
    },
    async stop() {
      await Promise.all(processes.map((process) => process.stop()));
    },
    async processFor(pid) {
      // A Python v0.3 manifest lists no pids: such a package serves any pid no other one lists.
      const process =
        processes.find((candidate) => candidate.info?.supported_pids.includes(pid)) ??
        processes.find((candidate) => candidate.info !== undefined && candidate.info.supported_pids.length === 0);
      if (process === undefined) {
        const served = processes.flatMap((candidate) => candidate.info?.supported_pids ?? []);
        throw new ProcVisionError(
          ErrorCodes.invalidPid,
          `no active package serves pid ${JSON.stringify(pid)}; served pids: ${served.length > 0 ? served.join(', ') : 'none'}`,
          { details: { field: 'pid', pid } },
        );
      }
      return process;
    },
    async packages(): Promise<PackageReadiness[]> {
      return processes.map((process) => {
        const error = failures.get(process);
        return {
          name: process.packageName,
          version: process.packageVersion,
          pids: process.info?.supported_pids ?? [],
          state: process.state,
          ...(process.processId === undefined ? {} : { os_pid: process.processId }),
          ...(error === undefined ? {} : { error }),
        };
      });
    },
  };
}
