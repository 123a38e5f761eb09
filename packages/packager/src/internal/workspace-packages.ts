import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { runNpm } from '../process/run-npm.js';
import { readWorkspaceCatalog, resolveCatalogSpec } from './workspace-catalog.js';
import { writePackageTarball } from './write-package-tarball.js';

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
    throw new ProcVisionError(ErrorCodes.invalidZip, `${path}: cannot read package.json (${(error as Error).message})`, { cause: error });
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
  return Object.entries(all)
    .filter(([, spec]) => spec.startsWith('workspace:'))
    .map(([name]) => name);
}

/** The first-party packages `manifest` needs, directly or through each other (sorted by name). */
export async function firstPartyClosure(manifest: PackageJson, workspace: Map<string, string>): Promise<Map<string, string>> {
  const needed = new Map<string, string>();
  const queue = workspaceDependencyNames(manifest);
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (needed.has(name)) continue;
    const folder = workspace.get(name);
    if (folder === undefined)
      throw new ProcVisionError(
        ErrorCodes.dependenciesMissing,
        `dependency ${name} uses the workspace: protocol but no package of that name is in the pnpm workspace`,
      );
    needed.set(name, folder);
    queue.push(...workspaceDependencyNames(await readPackageJson(folder)));
  }
  return new Map([...needed].sort(([left], [right]) => (left < right ? -1 : 1)));
}

/** What the packer needs to know about the workspace a package comes from. */
interface WorkspaceContext {
  /** Every package of the workspace: name -> folder. */
  packages: Map<string, string>;
  /** The default catalog of the staging project's pnpm-workspace.yaml. */
  catalog: Map<string, string>;
  /** The private npm cache. */
  cacheDir: string;
}

const dependencyFields = ['dependencies', 'optionalDependencies', 'peerDependencies', 'devDependencies'] as const;
/** Fields of `publishConfig` that pnpm publishes in place of the top-level ones. */
const publishedFields = ['bin', 'main', 'module', 'types', 'typings', 'exports', 'browser', 'imports', 'typesVersions', 'unpkg', 'esnext', 'es2015', 'type'];

/** `workspace:^` -> `^1.2.3`, `workspace:*` -> `1.2.3`, `workspace:~1.0.0` -> `~1.0.0` (as pnpm publishes them). */
async function resolveWorkspaceSpec(name: string, spec: string, workspace: WorkspaceContext): Promise<string> {
  const range = spec.slice('workspace:'.length);
  if (range !== '' && range !== '*' && range !== '^' && range !== '~') return range;
  const folder = workspace.packages.get(name);
  if (folder === undefined)
    throw new ProcVisionError(
      ErrorCodes.dependenciesMissing,
      `dependency ${name} uses the workspace: protocol but no package of that name is in the pnpm workspace`,
    );
  const version = (await readPackageJson(folder)).version;
  if (version === undefined)
    throw new ProcVisionError(ErrorCodes.dependenciesMissing, `${join(folder, 'package.json')} has no "version"; workspace package ${name} cannot be packed`);
  return range === '*' || range === '' ? version : `${range}${version}`;
}

/** The package.json as pnpm would publish it: workspace: and catalog: specs resolved, publishConfig fields applied. */
async function publishedManifest(folder: string, workspace: WorkspaceContext): Promise<Record<string, unknown>> {
  const raw = JSON.parse(await readFile(join(folder, 'package.json'), 'utf8')) as Record<string, unknown>;
  // catalog: specs mean the catalog of the workspace the package lives in (a linked checkout's own).
  const ownRoot = findWorkspaceRoot(folder);
  const catalog = ownRoot === null ? workspace.catalog : new Map([...workspace.catalog, ...(await readWorkspaceCatalog(ownRoot))]);
  for (const field of dependencyFields) {
    const specs = raw[field] as Record<string, string> | undefined;
    if (specs === undefined) continue;
    const resolved: Record<string, string> = {};
    for (const [name, spec] of Object.entries(specs)) {
      resolved[name] = spec.startsWith('workspace:') ? await resolveWorkspaceSpec(name, spec, workspace) : resolveCatalogSpec(name, spec, catalog);
    }
    raw[field] = resolved;
  }
  const publishConfig = raw.publishConfig as Record<string, unknown> | undefined;
  for (const field of publishedFields) if (publishConfig?.[field] !== undefined) raw[field] = publishConfig[field];
  return raw;
}

/**
 * Packs one workspace package without pnpm: `npm pack --dry-run` (scripts off) lists the files
 * npm would publish and the tarball name, and the tarball is written from those files with the
 * package.json pnpm would publish (workspace: and catalog: specs resolved, publishConfig
 * applied) into `destination`. Returns the tarball's file name.
 */
export async function packWorkspacePackage(name: string, folder: string, destination: string, workspace: WorkspaceContext): Promise<string> {
  const manifest = await readPackageJson(folder);
  for (const entry of manifest.files ?? []) {
    if (!/[*?]/.test(entry) && !existsSync(join(folder, entry)))
      throw new ProcVisionError(
        ErrorCodes.dependenciesMissing,
        `${name}: "${entry}" listed in its package.json "files" does not exist in ${folder}; build it first`,
      );
  }
  const listing = await runNpm(['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cacheDir: workspace.cacheDir,
    network: 'user',
    cwd: folder,
    describe: `npm pack --dry-run of ${name}`,
  });
  const packed = parsePackJson(listing.stdout, name);
  const published = `${JSON.stringify(await publishedManifest(folder, workspace), null, 2)}\n`;
  await writePackageTarball(
    folder,
    packed.files.map((file) => file.path),
    published,
    join(destination, packed.filename),
  );
  return packed.filename;
}

/** The one entry of `npm pack --json` output. */
function parsePackJson(stdout: string, name: string): { filename: string; files: Array<{ path: string }> } {
  try {
    const parsed = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    if (parsed.length === 1 && parsed[0] !== undefined) return parsed[0];
  } catch {
    // reported below
  }
  throw new ProcVisionError(ErrorCodes.installFailed, `npm pack of ${name} did not print the one JSON entry expected (got: ${stdout.slice(0, 200)})`);
}
