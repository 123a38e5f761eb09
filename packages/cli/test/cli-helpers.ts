import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built binary, run as a user would: `node dist/bin.js ...`. */
export const binPath = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** What one CLI run printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document of `--json`. */
  json<T = Record<string, unknown>>(): T;
}

/** Runs the built CLI with `args` in `cwd` (with `node`, default this Node; `unset` names variables to leave out) and collects its output. */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; node?: string; unset?: readonly string[] } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    // A user's shell has no NODE_PATH (pnpm sets one for scripts): leave it out.
    const { NODE_PATH: _nodePath, ...environment } = process.env;
    for (const name of options.unset ?? []) delete environment[name];
    const child = spawn(options.node ?? process.execPath, [binPath, ...args], {
      cwd: options.cwd,
      env: { ...environment, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        json: <T>() => {
          try {
            return JSON.parse(stdout) as T;
          } catch {
            throw new Error(`stdout is not one JSON document:\n${stdout}\nstderr:\n${stderr}`);
          }
        },
      }),
    );
  });
}

/** A fresh folder outside the repository, and its removal. */
export async function temporaryFolder(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `procvision-cli-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** `procvision init <name> --pids A01,A02 -d <parent>/<name>`; returns the project folder. */
export async function scaffold(parent: string, name = 'demo', pids = 'A01,A02'): Promise<string> {
  const run = await runCli(['init', name, '--pids', pids, '-d', join(parent, name), '--json']);
  if (run.code !== 0) throw new Error(`init failed (${run.code}): ${run.stderr}`);
  return join(parent, name);
}
