import { spawn } from 'node:child_process';
import { ProcVisionError } from '@procvision/manifest';
import { npmCliPath } from '../npm-cli-path.js';
import { stopOnExit } from './exit-cleanup.js';

/** The output of a finished command. */
export interface CommandOutput {
  stdout: string;
  stderr: string;
}

/** Options of {@link runCommand}. */
export interface CommandOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Windows needs a shell for `.cmd` shims (pnpm); never used for npm. */
  shell?: boolean;
  /** Written to the child's stdin (which is closed afterwards); default: no stdin. */
  input?: string;
  /** Kill the child (its group) and fail after this long; default: no limit. */
  timeoutMs?: number;
}

/**
 * Runs a command without a shell; a non-zero exit throws 2005 with the command and its stderr
 * tail. On POSIX it runs in a process group of its own, which is stopped if this process exits.
 */
export function runCommand(command: string, args: readonly string[], options: CommandOptions): Promise<CommandOutput> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, shell: options.shell ?? false, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], windowsHide: true, detached: process.platform !== 'win32' });
    stopOnExit(child);
    if (options.input !== undefined) child.stdin?.end(options.input);
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    const describe = `${command === process.execPath ? 'node' : command} ${args.map((arg) => (arg.length > 80 ? `${arg.slice(0, 40).split('\n')[0] ?? ''}...` : arg)).join(' ')}`;
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ProcVisionError('2005', `cannot start "${describe}" in ${options.cwd}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const output = { stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
      if (code === 0) {
        resolvePromise(output);
        return;
      }
      const tail = output.stderr.trim().split('\n').slice(-15).join('\n');
      reject(new ProcVisionError('2005', `"${describe}" in ${options.cwd} failed (${signal ?? `exit ${String(code)}`}):\n${tail}`, { details: { command: describe, cwd: options.cwd } }));
    });
  });
}

/** The environment for npm: inherited, minus npm/pnpm lifecycle settings, with our cache and flags. */
export function npmEnvironment(cacheDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && !/registry|proxy|userconfig|cafile|strict_ssl/i.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    npm_config_cache: cacheDir,
    npm_config_omit_lockfile_registry_resolved: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'warn',
  };
}

/** Runs `npm <args>` through `process.execPath` with a private cache. */
export function runNpm(args: readonly string[], cwd: string, cacheDir: string): Promise<CommandOutput> {
  return runCommand(process.execPath, [npmCliPath(), ...args], { cwd, env: npmEnvironment(cacheDir) });
}
