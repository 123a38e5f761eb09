import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDeliveryZip, type BuildOptions } from '@procvision/packager';

/** Where install-zip.mjs can be made to kill itself (tests of crash safety). */
export type InstallCrashStage = 'extracting' | 'npm-ci' | 'before-rename' | 'before-registry-write';
/** `PROCVISION_STORE_TEST_CRASH_AT=<stage>` makes install-zip.mjs SIGKILL itself at that stage (through the store's onInstallStage option). */
export const crashStageVariable = 'PROCVISION_STORE_TEST_CRASH_AT';

/** The npm cache packaging tests share across runs (packaging is network-bound the first time). */
const sharedNpmCache = join(tmpdir(), 'procvision-packager-test-npm-cache');
/** examples/algorithm-example. */
export const exampleDir = fileURLToPath(new URL('../../../../examples/algorithm-example', import.meta.url));

/** A temp folder removed by `cleanup`. */
export function temporaryFolder(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** What a tiny test algorithm project looks like. */
interface TinyProjectOptions {
  version: string;
  /** With the registry dependency is-number (npm ci has work to do); default true. */
  withDependency?: boolean;
  supportedPids?: string[];
  /** Source of dist/main.js (default: a class TinyAlgo using is-number). */
  mainSource?: string;
}

/** Writes a tiny algorithm project (dist/ prebuilt, no build script) into `parent` and returns its folder. */
function writeTinyProject(parent: string, options: TinyProjectOptions): string {
  const project = join(parent, `tiny-algo-${options.version}`);
  mkdirSync(join(project, 'dist'), { recursive: true });
  const withDependency = options.withDependency ?? true;
  const dependencies = withDependency ? { 'is-number': '^7.0.0' } : {};
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'tiny-algo', version: options.version, type: 'module', dependencies, engines: { node: '>=20.19' } }),
  );
  const main = withDependency
    ? "import isNumber from 'is-number';\nexport class TinyAlgo { check(value) { return isNumber(value); } }\n"
    : 'export class TinyAlgo {}\n';
  writeFileSync(join(project, 'dist', 'main.js'), options.mainSource ?? main);
  writeFileSync(
    join(project, 'manifest.json'),
    JSON.stringify({
      name: 'tiny-algo',
      version: options.version,
      entry_point: 'dist/main.js:TinyAlgo',
      supported_pids: options.supportedPids ?? ['A01', 'A02'],
    }),
  );
  return project;
}

/** Packages a tiny project into `output` (skipBuild, shared npm cache). Returns the zip path. */
export async function buildTinyZip(parent: string, output: string, options: TinyProjectOptions & Partial<BuildOptions>): Promise<string> {
  const { version, withDependency, supportedPids, mainSource, ...build } = options;
  const project = writeTinyProject(parent, {
    version,
    ...(withDependency === undefined ? {} : { withDependency }),
    ...(supportedPids ? { supportedPids } : {}),
    ...(mainSource ? { mainSource } : {}),
  });
  const built = await buildDeliveryZip(project, {
    target: 'linux-x64',
    output,
    skipBuild: true,
    npmCacheDir: sharedNpmCache,
    ...(withDependency === false ? { skipDeps: true } : {}),
    ...build,
  });
  return built.zipPath;
}

/** Packages examples/algorithm-example (built once if dist/ is missing). */
export async function buildExampleZip(output: string, target: string): Promise<string> {
  const built = await buildDeliveryZip(exampleDir, { target, output, npmCacheDir: sharedNpmCache, skipBuild: existsSync(join(exampleDir, 'dist', 'main.js')) });
  return built.zipPath;
}

/**
 * Every file and folder under a store with the sha256 of each file, except the audit log and
 * the lock (which every operation touches by design). Two equal snapshots mean an unchanged store.
 */
export function storeSnapshot(root: string): Record<string, string> {
  const snapshot: Record<string, string> = {};
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      const key = relative(root, path);
      if (key === 'logs' || key === '.lock') continue;
      if (statSync(path).isDirectory()) {
        snapshot[`${key}/`] = 'dir';
        walk(path);
      } else snapshot[key] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(root);
  return snapshot;
}

/** The audit records of a store. */
export function auditRecords(root: string): Array<Record<string, unknown>> {
  const path = join(root, 'logs', 'audit.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** How a child script ended. */
interface ScriptRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs one of this folder's .mjs scripts with node (optionally inside `unshare -n`: no network). */
export function runFixtureScript(
  script: string,
  args: readonly string[],
  options: { env?: Record<string, string>; noNetwork?: boolean } = {},
): Promise<ScriptRun> {
  const scriptPath = fileURLToPath(new URL(script, import.meta.url));
  const [command, commandArgs] =
    options.noNetwork === true ? ['unshare', ['-n', process.execPath, scriptPath, ...args]] : [process.execPath, [scriptPath, ...args]];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command as string, commandArgs as string[], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

/** Waits until a process id no longer exists. */
export async function waitForExit(pid: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`process ${String(pid)} still runs after ${String(timeoutMs)} ms`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
}
