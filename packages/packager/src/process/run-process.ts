import { type ChildProcess, spawn } from 'node:child_process';
import { type ErrorCode, ProcVisionError, ErrorCodes } from '@procvision/manifest/errors';
import { stopOnExit } from '../internal/exit-cleanup.js';
import { signalProcessTree } from './signal-process-tree.js';

/** The collected output of a command that exited with status 0. */
export interface ProcessOutput {
  stdout: string;
  stderr: string;
}

/** Options of {@link runProcess}. */
export interface RunProcessOptions {
  /** Working folder of the child. */
  cwd: string;
  /** Environment of the child (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** SIGKILL the child's process group and fail after this many milliseconds (default: no limit). */
  timeoutMs?: number;
  /** What error messages call the command (default: the command line, `node` for `process.execPath`). */
  describe?: string;
  /** The error code of a failure: 2005 (default, a command failed), 2004 (a dependency problem), 2027 (a Python venv or pip step) ... */
  code?: ErrorCode;
  /** Written to the child's stdin, which is then closed (default: no stdin). */
  input?: string;
  /** Windows needs a shell for `.cmd` shims; never needed for `process.execPath`. */
  shell?: boolean;
  /** Called with the child right after it was spawned (tests use it to find or crash the child). */
  onSpawn?: (child: ChildProcess) => void;
}

const tailLines = 15;

/**
 * Runs a command without a shell and collects stdout and stderr. On POSIX the child leads a
 * process group of its own: a timeout SIGKILLs the whole group, and if this process exits while
 * the child runs the group gets SIGTERM (npm and the scripts it started do not outlive us).
 *
 * @throws ProcVisionError 2005 (or `code`) naming the command, the folder, how it ended (exit
 *   status, signal or timeout) and the last 15 lines of stderr; also when it cannot start.
 */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions): Promise<ProcessOutput> {
  const code = options.code ?? ErrorCodes.installFailed;
  const describe = options.describe ?? `${command === process.execPath ? 'node' : command} ${args.join(' ')}`;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      shell: options.shell ?? false,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
      detached: process.platform !== 'win32',
    });
    stopOnExit(child);
    if (options.input !== undefined) child.stdin?.end(options.input);
    options.onSpawn?.(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            signalProcessTree(child, 'SIGKILL');
          }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(
        new ProcVisionError(code, `cannot start "${describe}" in ${options.cwd}: ${error.message}`, {
          cause: error,
          details: { command: describe, cwd: options.cwd },
        }),
      );
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const output = { stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
      if (exitCode === 0 && !timedOut) {
        resolvePromise(output);
        return;
      }
      const tail = output.stderr.trim().split('\n').slice(-tailLines).join('\n');
      const how = timedOut ? `did not finish within ${String(options.timeoutMs)} ms` : `failed (${signal ?? `exit ${String(exitCode)}`})`;
      reject(
        new ProcVisionError(code, `"${describe}" in ${options.cwd} ${how}${tail === '' ? '' : `:\n${tail}`}`, {
          details: { command: describe, cwd: options.cwd },
        }),
      );
    });
  });
}
