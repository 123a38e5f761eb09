import type { RunnerConfigInput } from '@procvision/manifest';
import { AlgorithmProcess } from '../algorithm-process.js';
import type { RunnerLogger } from '../logger.js';
import { nodeAdapterCommand } from '../package-spec.js';
import type { RegistryEntry } from './registry.js';

/** An installed version about to run: its registry entry and folder. */
export interface DeployedPackage {
  name: string;
  version: string;
  /** `deployed/<name>/<version>/`: the package root (manifest.json, dist/, node_modules/). */
  root: string;
  entry: RegistryEntry;
}

/** A started, handshaken package process as the store keeps it. */
export interface StartedProcess {
  /** The supervised process (absent for test starters that run none). */
  readonly process?: AlgorithmProcess;
  /** Stops it gracefully (protocol.md "Shutdown"). */
  stop(): Promise<void>;
}

/**
 * Starts a package's process and resolves once it is ready (handshake done, `info` answered),
 * or rejects with the start-up failure. The store calls it before flipping a PID's binding.
 */
export type ProcessStarter = (deployed: DeployedPackage) => Promise<StartedProcess>;

/** Options of {@link adapterProcessStarter}. */
export interface AdapterStarterOptions {
  /** Runner config of the processes (protocol.md defaults for missing keys). */
  config?: RunnerConfigInput;
  /** Where the processes' stderr lines go (default: JSON lines on stderr). */
  logger?: RunnerLogger;
}

/** The real starter: an {@link AlgorithmProcess} running the package's vendored SDK adapter. */
export function adapterProcessStarter(options: AdapterStarterOptions = {}): ProcessStarter {
  return async (deployed) => {
    const process = new AlgorithmProcess({
      packageName: deployed.name,
      packageVersion: deployed.version,
      root: deployed.root,
      adapter: nodeAdapterCommand(deployed.root),
      ...(options.config === undefined ? {} : { config: options.config }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
    try {
      await process.start();
    } catch (error) {
      await process.stop().catch(() => undefined);
      throw error;
    }
    return { process, stop: () => process.stop() };
  };
}
