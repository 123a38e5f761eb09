import type { RunnerConfig, RunnerConfigInput } from '@procvision/manifest';
import { AlgorithmProcess } from './algorithm-process.js';
import type { RunnerEvents } from './events.js';
import type { TypedEmitter } from './internal/typed-emitter.js';
import type { RunnerLogger } from '../logger.js';
import type { ResolvedPackageSpec } from './package-spec.js';

/** How {@link startPackageProcess} builds a process. */
interface ProcessOptions {
  config?: RunnerConfig | RunnerConfigInput;
  events?: TypedEmitter<RunnerEvents>;
  logger?: RunnerLogger;
  restartBackoff?: { initialMs: number; maxMs: number };
}

/**
 * The one place an {@link AlgorithmProcess} is built: builds the supervised process of a
 * resolved package and starts it; on a failed start it is stopped again (no child, no shm
 * directory left) and the start-up error is thrown.
 */
export async function startPackageProcess(spec: ResolvedPackageSpec, options: ProcessOptions): Promise<AlgorithmProcess> {
  const process = new AlgorithmProcess({
    packageName: spec.name,
    packageVersion: spec.version,
    root: spec.root,
    adapter: spec.adapter,
    env: spec.env,
    ...(spec.memoryLimitMb === undefined ? {} : { memoryLimitMb: spec.memoryLimitMb }),
    ...(options.config === undefined ? {} : { config: options.config }),
    ...(options.events === undefined ? {} : { events: options.events }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.restartBackoff === undefined ? {} : { restartBackoff: options.restartBackoff }),
  });
  try {
    await process.start();
  } catch (error) {
    await process.stop().catch(() => undefined);
    throw error;
  }
  return process;
}
