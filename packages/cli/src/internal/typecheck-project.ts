import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findInstalledPackage } from './find-installed-package.js';

/** What {@link typecheckProject} found. */
export type TypecheckOutcome =
  /** The project has no tsconfig.json or resolves no `typescript`: nothing was checked. */
  | { checked: false; reason: string }
  /** `tsc --noEmit` ran: `errors` holds `file:line:col: TSnnnn message` lines (empty when clean). */
  | { checked: true; errors: string[]; durationMs: number; tsc: string };

/** The longest a type check may take before it counts as failed. */
const TYPECHECK_TIMEOUT_MS = 180_000;

/**
 * Type-checks a TypeScript project with its own compiler: `tsc --noEmit -p tsconfig.json` of the
 * `typescript` that resolves from the project (its devDependency), in a child process. esbuild,
 * which compiles for validate, run and package, strips types without checking them; this is the
 * check. A project without tsconfig.json or without `typescript` is not checked (the outcome says
 * why), so a plain JavaScript project and an uninstalled scaffold still work.
 */
export async function typecheckProject(root: string): Promise<TypecheckOutcome> {
  if (!existsSync(join(root, 'tsconfig.json'))) return { checked: false, reason: 'no tsconfig.json' };
  const typescript = findInstalledPackage(root, 'typescript');
  const tsc = typescript === undefined ? undefined : join(typescript, 'bin', 'tsc');
  if (tsc === undefined || !existsSync(tsc)) {
    return { checked: false, reason: 'typescript is not installed in the project (`npm install` adds the devDependency)' };
  }
  const started = performance.now();
  const { code, output } = await runTsc(tsc, root);
  const errors = output
    .split('\n')
    .map((line) => /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, file, line, column, code_, message]) => `${file}:${line}:${column}: ${code_} ${message}`);
  if (code !== 0 && errors.length === 0) errors.push(output.trim().split('\n').slice(0, 5).join(' ') || `tsc exited with ${String(code)}`);
  return { checked: true, errors, durationMs: Math.round(performance.now() - started), tsc };
}

function runTsc(tsc: string, root: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '-p', 'tsconfig.json'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: TYPECHECK_TIMEOUT_MS,
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      if (output.length < 1_000_000) output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code: signal === null ? code : -1, output: signal === null ? output : `${output}\ntsc stopped by ${signal}` }),
    );
  });
}

/** One line for a human: the first few type errors and how many there are. */
export function describeTypeErrors(errors: readonly string[]): string {
  const shown = errors.slice(0, 5).join('; ');
  return errors.length > 5 ? `${shown}; and ${errors.length - 5} more` : shown;
}
