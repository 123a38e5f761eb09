import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ErrorCodes, ProcVisionError } from '@procvision/manifest';
import type { NpmLockEntry, NpmLockfile } from './npm-lock-types.js';
import { npmLockFromPnpm, parsePnpmLockfile } from './pnpm-lockfile.js';
import { findWorkspaceRoot, type PackageJson } from './workspace-packages.js';

export type { NpmLockEntry, NpmLockfile } from './npm-lock-types.js';

/** The lockfile of a project, as the packager found it. */
export interface ProjectLockfile {
  /** `package-lock.json`, `npm-shrinkwrap.json` or `pnpm-lock.yaml` (the project's importer, as an npm lockfile). */
  file: string;
  /** Absolute path of the file. */
  path: string;
  lock: NpmLockfile;
  /** With pnpm-lock.yaml: the project's importer id (`.`, or its path from the workspace root). */
  importer?: string;
}

/** npm's two lockfile names, in the order npm prefers them. */
const npmLockfileNames = ['npm-shrinkwrap.json', 'package-lock.json'] as const;

/**
 * The project's pnpm lockfile: the workspace root's `pnpm-lock.yaml` (the nearest
 * pnpm-workspace.yaml above) with the project's importer, else one in the project itself
 * (importer `.`), as an npm lockfile; or null.
 */
async function readPnpmLockfile(lockfileDir: string): Promise<ProjectLockfile | null> {
  const root = findWorkspaceRoot(lockfileDir);
  const folder = root !== null && existsSync(join(root, 'pnpm-lock.yaml')) ? root : existsSync(join(lockfileDir, 'pnpm-lock.yaml')) ? lockfileDir : null;
  if (folder === null) return null;
  const path = join(folder, 'pnpm-lock.yaml');
  const importer = relative(folder, lockfileDir).split(sep).join('/') || '.';
  return { file: 'pnpm-lock.yaml', path, importer, lock: npmLockFromPnpm(path, parsePnpmLockfile(path, await readFile(path, 'utf8')), importer) };
}

/**
 * Reads the project's lockfile: npm's (npm-shrinkwrap.json wins over package-lock.json, as with
 * npm), else its importer in the pnpm workspace's pnpm-lock.yaml; or null.
 */
export async function readProjectLockfile(lockfileDir: string): Promise<ProjectLockfile | null> {
  for (const file of npmLockfileNames) {
    const path = join(lockfileDir, file);
    if (!existsSync(path)) continue;
    let lock: NpmLockfile;
    try {
      lock = JSON.parse(await readFile(path, 'utf8')) as NpmLockfile;
    } catch (error) {
      throw new ProcVisionError(ErrorCodes.dependenciesMissing, `${path} is not valid JSON (${(error as Error).message})`, { cause: error });
    }
    if (typeof lock.packages !== 'object' || lock.packages === null || lock.lockfileVersion < 2) {
      throw new ProcVisionError(
        ErrorCodes.dependenciesMissing,
        `${path}: lockfile version ${String(lock.lockfileVersion)} has no "packages" map; run npm install with npm 7 or later to upgrade it`,
      );
    }
    return { file, path, lock };
  }
  return readPnpmLockfile(lockfileDir);
}

/**
 * Checks that the lockfile was made for this package.json, as `npm ci` does: every production
 * dependency (`dependencies`, `optionalDependencies`) except the first-party ones is locked
 * with the same spec and has an installed entry. Throws 2004 naming the dependency.
 */
export function assertLockfileInStep(lockfile: ProjectLockfile, packageJson: PackageJson, firstParty: ReadonlySet<string>): void {
  const root = lockfile.lock.packages[''] ?? {};
  const lockedSpecs: Record<string, string> = { ...root.optionalDependencies, ...root.dependencies };
  const wanted: Record<string, string> = { ...packageJson.optionalDependencies, ...packageJson.dependencies };
  const hint =
    lockfile.file === 'pnpm-lock.yaml'
      ? 'run pnpm install and test again'
      : 'run npm install and test again, or package with --refresh-lock to resolve the ranges again';
  const where = lockfile.importer === undefined ? lockfile.path : `${lockfile.path} (importer ${lockfile.importer})`;
  for (const name of Object.keys(wanted).sort()) {
    if (firstParty.has(name)) continue;
    const spec = wanted[name] as string;
    const locked = lockedSpecs[name];
    if (locked === undefined) {
      throw new ProcVisionError(
        ErrorCodes.dependenciesMissing,
        `${where} is out of step with package.json: dependency ${name}@"${spec}" is not in the lockfile; ${hint}`,
        { details: { dependency: name, spec, lockfile: lockfile.path } },
      );
    }
    const entry = lockfile.lock.packages[`node_modules/${name}`];
    if (locked !== spec || entry?.version === undefined) {
      throw new ProcVisionError(
        ErrorCodes.dependenciesMissing,
        `${where} is out of step with package.json: dependency ${name} is "${spec}" in package.json but the lockfile locked "${locked}"${entry?.version === undefined ? '' : ` (${entry.version})`}; ${hint}`,
        { details: { dependency: name, spec, locked, lockedVersion: entry?.version ?? null, lockfile: lockfile.path } },
      );
    }
  }
}

/** True for a lockfile path that belongs to a first-party package (`node_modules/@procvision/sdk` and everything under it). */
function belongsTo(path: string, names: ReadonlySet<string>): boolean {
  for (const name of names) {
    const prefix = `node_modules/${name}`;
    if (path === prefix || path.startsWith(`${prefix}/`)) return true;
  }
  return false;
}

/**
 * The project's lockfile narrowed to what ships: the root entry's production dependencies,
 * dev-only entries and links (and first-party packages, which are packed from the workspace
 * and locked afresh) left out; every other entry kept with its version, resolved URL and
 * integrity. npm installs the target's os/cpu/libc subset from it.
 */
export function narrowLockfile(lockfile: ProjectLockfile, root: Record<string, unknown>, firstParty: ReadonlySet<string>): NpmLockfile {
  const packages: Record<string, NpmLockEntry> = {};
  const dependencies = (root.dependencies ?? {}) as Record<string, string>;
  packages[''] = {
    name: root.name as string | undefined,
    version: root.version as string | undefined,
    ...(Object.keys(dependencies).length === 0 ? {} : { dependencies }),
  };
  for (const [path, entry] of Object.entries(lockfile.lock.packages)) {
    if (path === '' || !path.startsWith('node_modules/') || entry.dev === true || entry.link === true || belongsTo(path, firstParty)) continue;
    packages[path] = entry;
  }
  return { name: root.name as string | undefined, version: root.version as string | undefined, lockfileVersion: 3, requires: true, packages };
}

/** `name@version` of every non-root entry of a lockfile. */
export function lockedVersions(lock: NpmLockfile): Map<string, Set<string>> {
  const versions = new Map<string, Set<string>>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/') || entry.version === undefined) continue;
    const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const set = versions.get(name) ?? new Set<string>();
    set.add(entry.version);
    versions.set(name, set);
  }
  return versions;
}

/** Dependency fields whose specs decide whether npm alone can lock the project. */
const specFields = ['dependencies', 'optionalDependencies', 'devDependencies', 'peerDependencies'] as const;

/** True when npm alone can lock the project: no `workspace:`, `catalog:`, `link:`, `file:` or `portal:` spec anywhere. */
export function npmCanLock(packageJson: Record<string, unknown>): boolean {
  return specFields.every((field) =>
    Object.values((packageJson[field] ?? {}) as Record<string, string>).every((spec) => !/^(workspace|catalog|link|file|portal):/.test(spec)),
  );
}
