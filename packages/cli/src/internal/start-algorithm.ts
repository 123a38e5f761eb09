import { join } from 'node:path';
import { type AlgorithmInfo, ErrorCodes, type RunnerConfigInput } from '@procvision/manifest';
import { type AdapterCommand, type LogEntry, Runner } from '@procvision/runner';
import { adapterBinPath } from '@procvision/sdk';
import type { Output } from '../output.js';
import { findInstalledPackage } from './find-installed-package.js';

/** A runner with one algorithm package started and ready for steps. */
export interface StartedAlgorithm {
  runner: Runner;
  /** The package name the runner knows it by. */
  name: string;
  info: AlgorithmInfo;
  /** Milliseconds from spawn to the end of setup (the `info` answer). */
  startupMs: number;
  /**
   * The stacks of the errors `preExecute`/`execute` threw (the adapter logs them mapped through
   * the source maps, `src/...ts:line:col`), oldest first; a caller may empty it between steps.
   */
  thrown: string[];
  /**
   * The mapped stack of what `stage` threw in the step that just ended: the adapter's stderr log
   * line can arrive after the step's result, so this waits for it up to `waitMs` when the
   * outcome was an unexpected error (9999); undefined when nothing threw.
   */
  thrownIn(outcome: { status: string; stage: string; errorCode?: string }, waitMs?: number): Promise<string | undefined>;
  /** Stops the process (shutdown, then SIGTERM/SIGKILL) and frees the shared memory. */
  close(): Promise<void>;
}

/** What {@link startAlgorithm} needs: the package and where its logs go. */
interface StartAlgorithmOptions {
  root: string;
  name: string;
  version: string;
  /** Runner config overrides (timeouts ...). */
  config?: RunnerConfigInput;
  /** Extra environment of the adapter (e.g. `PROC_ENTRY_POINT`). */
  env?: Record<string, string>;
  /** The adapter command (default {@link packageAdapter} of the root: our SDK's). */
  adapter?: AdapterCommand;
  output: Output;
}

/**
 * Starts the package in the platform's runner engine ({@link Runner}): the adapter of the SDK
 * the package itself resolves, in a child process with the package root as working directory,
 * frames through mmap shared memory. Algorithm logs go to stderr: all levels with `--debug`,
 * warnings and errors otherwise.
 *
 * @throws ProcVisionError when start-up fails (1003 missing entry or asset, 1005, 9999).
 */
export async function startAlgorithm(options: StartAlgorithmOptions): Promise<StartedAlgorithm> {
  const thrown: string[] = [];
  const runner = new Runner({
    config: { ...options.config, log_level: options.output.debug ? 'debug' : 'warn' },
    logger: {
      log: (entry: LogEntry) => {
        if (entry.level === 'error' && /^(preExecute|execute)\(\) threw: /.test(entry.message)) thrown.push(entry.message);
        logEntry(options.output, entry);
      },
    },
  });
  const started = performance.now();
  try {
    const algorithmProcess = await runner.startPackage({
      root: options.root,
      name: options.name,
      version: options.version,
      adapter: options.adapter ?? packageAdapter(options.root),
      ...(options.env === undefined ? {} : { env: options.env }),
    });
    const info = algorithmProcess.info as AlgorithmInfo;
    return {
      runner,
      name: options.name,
      info,
      startupMs: Math.round(performance.now() - started),
      thrown,
      thrownIn: (outcome, waitMs) => thrownIn(thrown, outcome, waitMs),
      close: () => runner.close(),
    };
  } catch (error) {
    await runner.close();
    throw error;
  }
}

/** Starts a project's algorithm (after `prepareProject`), with `--timeout-ms` as its execute timeout. */
export function startProjectAlgorithm(
  project: { root: string; manifest: { name: string; version: string } },
  output: Output,
  timeoutMs?: number,
): Promise<StartedAlgorithm> {
  output.progress(`starting ${project.manifest.name}...`);
  return startAlgorithm({
    root: project.root,
    name: project.manifest.name,
    version: project.manifest.version,
    output,
    ...(timeoutMs === undefined ? {} : { config: { execute_timeout_ms: timeoutMs } }),
  });
}

/**
 * The adapter of the SDK the package resolves (so adapter and algorithm share one SDK
 * instance), or the CLI's own when the package resolves none.
 */
function packageAdapter(root: string): AdapterCommand {
  const sdk = findInstalledPackage(root, '@procvision/sdk');
  return { command: process.execPath, args: [sdk === undefined ? adapterBinPath : join(sdk, 'dist', 'adapter-bin.js')] };
}

/** How long a step's thrown-error log line may trail its result before it counts as absent. */
const THROWN_LOG_WAIT_MS = 2000;

async function thrownIn(
  thrown: readonly string[],
  outcome: { status: string; stage: string; errorCode?: string },
  waitMs = THROWN_LOG_WAIT_MS,
): Promise<string | undefined> {
  if (outcome.status !== 'ERROR' || (outcome.stage !== 'pre' && outcome.stage !== 'execute')) return undefined;
  const prefix = outcome.stage === 'execute' ? 'execute() threw: ' : 'preExecute() threw: ';
  const deadline = performance.now() + (outcome.errorCode === ErrorCodes.unknownError ? waitMs : 0);
  for (;;) {
    const found = thrown.find((stack) => stack.startsWith(prefix));
    if (found !== undefined || performance.now() >= deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const levelRank = { debug: 0, info: 1, warn: 2, error: 3 } as const;

function logEntry(output: Output, entry: LogEntry): void {
  const minimum = output.debug ? 'debug' : 'warn';
  if (levelRank[entry.level] < levelRank[minimum]) return;
  output.note(`[${entry.source} ${entry.level}] ${entry.message}`);
}
