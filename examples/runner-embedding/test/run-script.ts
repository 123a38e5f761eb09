import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What a built script printed, and how it ended. */
interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** Runs `dist/<script>.js` of this package in a child process, as `pnpm start` does. */
export function runBuiltScript(script: string, args: readonly string[] = []): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`dist/${script}.js`, ...args], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
