import { type AlgorithmInfo, type RunnerConfig, type RunnerConfigInput } from '@procvision/manifest';
import { AlgorithmProcess, type LogEntry } from '@procvision/runner';
import { adapterBinPath } from '@procvision/sdk';
import { type FrameWriter, createFrameWriter } from '@procvision/shm';
import type { Output } from '../output.js';

/** An algorithm process that finished start-up, with the frame writer that feeds it. */
export interface StartedAlgorithm {
  process: AlgorithmProcess;
  frames: FrameWriter;
  info: AlgorithmInfo;
  config: RunnerConfig;
  /** Milliseconds from spawn to the end of setup (the `info` answer). */
  startupMs: number;
  /** Stops the process (shutdown, then SIGTERM/SIGKILL) and frees the shared memory. */
  close(): Promise<void>;
}

/** What {@link startAlgorithm} needs: the package and where its logs go. */
export interface StartAlgorithmOptions {
  root: string;
  name: string;
  version: string;
  /** Runner config overrides (timeouts ...). */
  config?: RunnerConfigInput;
  output: Output;
  /** Extra environment of the adapter (e.g. `PROC_ENTRY_POINT`). */
  env?: Record<string, string>;
  /** Largest image to expect, in bytes (sizes the shared-memory slot). */
  frameBytes: number;
}

/**
 * Starts the package's adapter (`node <procvision-adapter>`, the package root as working
 * directory) under the runner's process supervisor, as the platform does, and creates an
 * mmap frame writer. Algorithm logs go to stderr: all levels with `--debug`, warnings otherwise.
 *
 * @throws ProcVisionError when start-up fails (1003 missing entry or asset, 1005, 9999).
 */
export async function startAlgorithm(options: StartAlgorithmOptions): Promise<StartedAlgorithm> {
  const algorithmProcess = new AlgorithmProcess({
    packageName: options.name,
    packageVersion: options.version,
    root: options.root,
    adapter: { command: process.execPath, args: [adapterBinPath] },
    ...(options.env === undefined ? {} : { env: options.env }),
    config: { ...options.config, log_level: options.output.debug ? 'debug' : 'warn' },
    logger: { log: (entry: LogEntry) => logEntry(options.output, entry) },
  });
  const frames = createFrameWriter({ backend: 'mmap', slots: 2, capacityBytes: Math.max(options.frameBytes, 64 * 1024) });
  const started = performance.now();
  try {
    const info = await algorithmProcess.start();
    return {
      process: algorithmProcess,
      frames,
      info,
      config: algorithmProcess.config,
      startupMs: Math.round(performance.now() - started),
      close: async () => {
        await algorithmProcess.stop();
        frames.close();
      },
    };
  } catch (error) {
    await algorithmProcess.stop().catch(() => undefined);
    frames.close();
    throw error;
  }
}

const levelRank = { debug: 0, info: 1, warn: 2, error: 3 } as const;

function logEntry(output: Output, entry: LogEntry): void {
  const minimum = output.debug ? 'debug' : 'warn';
  if (levelRank[entry.level] < levelRank[minimum]) return;
  output.note(`[${entry.source} ${entry.level}] ${entry.message}`);
}
