import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Absolute path of a fixture script in test/fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** Runs a fixture to completion and parses its stdout as JSON. */
export function runFixture<T>(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [fixture(name), ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${name} failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as T);
    });
  });
}

/** Starts a long-lived fixture and resolves with the process and its first stdout line as JSON. */
export function startFixture<T>(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; first: T }> {
  const child = spawn(process.execPath, [fixture(name), ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const newline = buffered.indexOf('\n');
      if (newline >= 0) resolve({ child, first: JSON.parse(buffered.slice(0, newline)) as T });
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => reject(new Error(`${name} exited early (${code ?? signal})`)));
  });
}

/** Waits for a child to exit and returns its exit code and signal. */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
