import type { RunnerConfigInput } from '@procvision/manifest';
import type { AlgorithmProcess } from '../process/algorithm-process.js';
import { startPackageProcess } from '../process/start-process.js';
import type { RunnerLogger } from '../logger.js';
import { packageLaunch } from './package-launch.js';
import type { RegistryEntry } from './registry.js';
import { type PackageOverride, packageEnvironment, packageRunnerConfig } from './station-config.js';

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
  /** Stops it gracefully (docs/spec/protocol.md "Shutdown"). */
  stop(): Promise<void>;
}

/**
 * Starts a package's process and resolves once it is ready (handshake done, `info` answered),
 * or rejects with the start-up failure. The store calls it before flipping a PID's binding.
 */
export type ProcessStarter = (deployed: DeployedPackage) => Promise<StartedProcess>;

/** Options of {@link adapterProcessStarter}. */
export interface AdapterStarterOptions {
  /** Runner config of the processes (docs/spec/protocol.md defaults for missing keys). */
  config?: RunnerConfigInput;
  /** Where the processes' stderr lines go (default: JSON lines on stderr). */
  logger?: RunnerLogger;
  /** Per-package overrides by name: timeouts, extra environment (`env`, `pass_env`), memory limit. */
  packages?: Record<string, PackageOverride>;
  /** Processes per package (default 1; a package's `instances` wins). */
  instances?: number;
  /** The runner's environment `pass_env` copies from (default `process.env`). */
  runnerEnv?: NodeJS.ProcessEnv;
}

/**
 * The real starter: an {@link AlgorithmProcess} running the package's vendored SDK adapter, or
 * for a Python package its venv's interpreter with the SDK generation's call shape.
 */
export function adapterProcessStarter(options: AdapterStarterOptions = {}): ProcessStarter {
  return async (deployed) => {
    const launch = packageLaunch(deployed.root, deployed.entry);
    const override = options.packages?.[deployed.name];
    const process = await startPackageProcess(
      {
        name: deployed.name,
        version: deployed.version,
        root: deployed.root,
        adapter: launch.adapter,
        env: { ...packageEnvironment(override, options.runnerEnv), ...launch.env },
        ...(override?.memory_limit_mb === undefined ? {} : { memoryLimitMb: override.memory_limit_mb }),
      },
      {
        config: packageRunnerConfig({ runner: options.config ?? {}, packages: options.packages ?? {} }, deployed.name),
        ...(options.logger === undefined ? {} : { logger: options.logger }),
      },
    );
    const tracker = trackCalls(process);
    return { process, stop: () => stopAfterInFlightCall(process, tracker) };
  };
}

interface CallTracker {
  inFlight: () => number;
  /** Resolves when no call is in flight. */
  idle: () => Promise<void>;
}

/** Counts the process's calls in flight from its creation on (call-start / call-end events). */
function trackCalls(process: AlgorithmProcess): CallTracker {
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  process.on('call-start', () => void (inFlight += 1));
  process.on('call-end', () => {
    inFlight = Math.max(0, inFlight - 1);
    if (inFlight === 0) for (const wake of waiters.splice(0)) wake();
  });
  return {
    inFlight: () => inFlight,
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise((resolveIdle) => void (waiters = [...waiters, resolveIdle]))),
  };
}

/**
 * Stops a process once its in-flight call (if any) has ended, so a switch does not fail the
 * call the old version is answering; waits at most the longest call timeout plus the kill grace.
 */
async function stopAfterInFlightCall(process: AlgorithmProcess, tracker: CallTracker): Promise<void> {
  if (tracker.inFlight() > 0) {
    const { execute_timeout_ms: executeMs, pre_execute_timeout_ms: preMs, kill_grace_ms: graceMs } = process.config;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([tracker.idle(), new Promise<void>((resolveWait) => (timer = setTimeout(resolveWait, Math.max(executeMs, preMs) + graceMs)))]);
    clearTimeout(timer);
  }
  await process.stop();
}
