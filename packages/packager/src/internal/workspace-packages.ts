import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ProcVisionError } from '@procvision/manifest';
import { runCommand } from './run-command.js';

/** The parts of a package.json the packager reads. */
export interface PackageJson {
  name?: string;
  version?: string;
  type?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  files?: string[];
}

/** Reads and parses a package.json, naming the file on failure. */
export async function readPackageJson(directory: string): Promise<PackageJson> {
  const path = join(directory, 'package.json');
  try {
    return JSON.parse(await readFile(path, 'utf8')) as PackageJson;
  } catch (error) {
    throw new ProcVisionError('2001', `${path}: cannot read package.json (${(error as Error).message})`, { cause: error });
  }
}

/** The pnpm workspace root above `directory`, or null. */
export function findWorkspaceRoot(directory: string): string | null {
  let current = resolve(directory);
  for (;;) {
    if (existsSync(join(current, 'pnpm-workspace.yaml'))) return current;
    const parent = dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

/** The `packages:` globs of pnpm-workspace.yaml (plain `dir/*` and literal paths). */
function parseWorkspaceGlobs(yaml: string): string[] {
  const globs: string[] = [];
  let inPackages = false;
  for (const line of yaml.split(/\r?\n/)) {
    if (/^\S/.test(line)) inPackages = /^packages:\s*$/.test(line);
    else if (inPackages) {
      const match = /^\s+-\s+['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line);
      if (match?.[1] !== undefined && !match[1].startsWith('!')) globs.push(match[1]);
    }
  }
  return globs;
}

/** Every package of the workspace: name -> folder. */
export async function listWorkspacePackages(root: string): Promise<Map<string, string>> {
  const globs = parseWorkspaceGlobs(await readFile(join(root, 'pnpm-workspace.yaml'), 'utf8'));
  const folders: string[] = [];
  for (const glob of globs) {
    if (glob.endsWith('/*')) {
      const base = join(root, glob.slice(0, -2));
      const children = existsSync(base) ? await readdir(base, { withFileTypes: true }) : [];
      folders.push(...children.filter((child) => child.isDirectory()).map((child) => join(base, child.name)));
    } else folders.push(join(root, glob));
  }
  const packages = new Map<string, string>();
  for (const folder of folders.filter((candidate) => existsSync(join(candidate, 'package.json')))) {
    const manifest = await readPackageJson(folder);
    if (manifest.name !== undefined) packages.set(manifest.name, folder);
  }
  return packages;
}

function workspaceDependencyNames(manifest: PackageJson): string[] {
  const all = { ...manifest.dependencies, ...manifest.optionalDependencies };
  return Object.entries(all).filter(([, spec]) => spec.startsWith('workspace:')).map(([name]) => name);
}

/** The first-party packages `manifest` needs, directly or through each other (sorted by name). */
export async function firstPartyClosure(manifest: PackageJson, workspace: Map<string, string>): Promise<Map<string, string>> {
  const needed = new Map<string, string>();
  const queue = workspaceDependencyNames(manifest);
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (needed.has(name)) continue;
    const folder = workspace.get(name);
    if (folder === undefined) throw new ProcVisionError('2004', `dependency ${name} uses the workspace: protocol but no package of that name is in the pnpm workspace`);
    needed.set(name, folder);
    queue.push(...workspaceDependencyNames(await readPackageJson(folder)));
  }
  return new Map([...needed].sort(([left], [right]) => (left < right ? -1 : 1)));
}

/** Packs one workspace package with `pnpm pack` (which rewrites workspace: and catalog: specs) into `destination`. */
export async function packWorkspacePackage(name: string, folder: string, destination: string): Promise<string> {
  const manifest = await readPackageJson(folder);
  for (const entry of manifest.files ?? []) {
    if (!/[*?]/.test(entry) && !existsSync(join(folder, entry))) throw new ProcVisionError('2004', `${name}: "${entry}" listed in its package.json "files" does not exist in ${folder}; build it first`);
  }
  const scratch = await mkdtemp(join(destination, '.pack-'));
  try {
    await runCommand('pnpm', ['pack', '--pack-destination', scratch], { cwd: folder, shell: process.platform === 'win32' });
    const tarballs = (await readdir(scratch)).filter((file) => file.endsWith('.tgz'));
    if (tarballs.length !== 1 || tarballs[0] === undefined) throw new ProcVisionError('2005', `pnpm pack of ${name} produced ${tarballs.length} tarballs in ${scratch}, expected 1`);
    const target = join(destination, tarballs[0]);
    await rename(join(scratch, tarballs[0]), target);
    return tarballs[0];
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
