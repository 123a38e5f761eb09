import { type ChildProcess, spawn } from 'node:child_process';
import { type ErrorCode, ProcVisionError } from '@procvision/manifest';

/** How a child run through {@link runNodeScript} ends. */
export interface NodeScriptRun {
  /** Called with the child right after it was spawned (tests use it to find the child). */
  onSpawn?: (child: ChildProcess) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** SIGKILL the child and fail after this long. */
  timeoutMs: number;
  /** What the error message calls this command. */
  describe: string;
  /** The error code of a failure (default 2005). */
  code?: ErrorCode;
  /** The program to run (default `process.execPath`, node). */
  command?: string;
}

/**
 * Runs `process.execPath <args>` (or `run.command <args>`) without a shell (Windows refuses `.cmd` shims without one),
 * collecting stdout and stderr.
 * @throws ProcVisionError 2005 (or `code`) with the exit status and the stderr tail
 */
export function runNodeScript(args: readonly string[], run: NodeScriptRun): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(run.command ?? process.execPath, args, { cwd: run.cwd, env: run.env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    run.onSpawn?.(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, run.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ProcVisionError(run.code ?? '2005', `cannot start ${run.describe} in ${run.cwd}: ${error.message}`, { cause: error }));
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      if (exitCode === 0) {
        resolvePromise(Buffer.concat(stdout).toString('utf8'));
        return;
      }
      const tail = Buffer.concat(stderr).toString('utf8').trim().split('\n').slice(-15).join('\n');
      const how = timedOut ? `did not finish within ${String(run.timeoutMs)} ms` : `failed (${signal ?? `exit ${String(exitCode)}`})`;
      reject(new ProcVisionError(run.code ?? '2005', `${run.describe} in ${run.cwd} ${how}${tail === '' ? '' : `:\n${tail}`}`, { details: { cwd: run.cwd } }));
    });
  });
}
