import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import type { PlatformTarget } from '../target.js';
import { readInstallSet, type InstalledPackage } from './install-set.js';
import { assertLockfileInStep, lockedVersions, narrowLockfile, type ProjectLockfile } from './project-lockfile.js';
import { runNpm } from '../process/run-npm.js';
import { writeStagingNpmrc } from './project-npmrc.js';
import { readWorkspaceCatalog, resolveCatalogSpec } from './workspace-catalog.js';
import { findWorkspaceRoot, firstPartyClosure, listWorkspacePackages, packWorkspacePackage, type PackageJson } from './workspace-packages.js';

/** A staging npm project whose lockfile and node_modules describe the target's install set. */
interface StagingProject {
  root: string;
  installSet: InstalledPackage[];
  /** Registry packages that were not in the project's lockfile (locked afresh: dependencies of first-party packages), as `name@version`. */
  lockedAfresh: string[];
}

/** Hooks for progress reporting. */
interface StagingHooks {
  onPack: (name: string) => void;
  onLockfile: () => void;
  onInstall: () => void;
}

/** The first-party package names of a sanitised package.json (those delivered as packed tarballs). */
function firstPartyNames(packageJson: Record<string, unknown>): Set<string> {
  return new Set(Object.keys((packageJson.overrides ?? {}) as Record<string, string>));
}

/**
 * Checks that npm installed the versions the project's lockfile holds: every registry package of
 * the install set whose name the lockfile knows must have one of the locked versions (2004
 * naming the package otherwise). Returns the packages the lockfile did not know.
 */
function assertTestedVersions(installSet: readonly InstalledPackage[], lockfile: ProjectLockfile, seed: ReturnType<typeof narrowLockfile>): string[] {
  const locked = lockedVersions(seed);
  const afresh: string[] = [];
  for (const entry of installSet) {
    if (entry.resolved.startsWith('file:')) continue;
    const versions = locked.get(entry.name);
    if (versions === undefined) afresh.push(`${entry.name}@${entry.version}`);
    else if (!versions.has(entry.version)) {
      throw new ProcVisionError(
        ErrorCodes.dependenciesMissing,
        `npm installed ${entry.name}@${entry.version} but ${lockfile.path} locks ${[...versions].join(', ')}; run npm install, test, and package again`,
      );
    }
  }
  return afresh;
}

/** The sanitised package.json: name, version, type, dependencies, overrides, engines. */
async function sanitisedPackageJson(
  projectDir: string,
  project: PackageJson,
  npmPackagesDir: string,
  cacheDir: string,
  hooks: StagingHooks,
): Promise<Record<string, unknown>> {
  const dependencies: Record<string, string> = { ...project.dependencies };
  const overrides: Record<string, string> = {};
  for (const [name, spec] of Object.entries(dependencies)) {
    if (/^(link|file|portal):/.test(spec))
      throw new ProcVisionError(
        ErrorCodes.dependenciesMissing,
        `dependency ${name}@"${spec}" cannot be delivered: only registry ranges and pnpm workspace packages are supported`,
      );
  }
  const hasPnpmSpecs = Object.values(dependencies).some((spec) => spec.startsWith('workspace:') || spec.startsWith('catalog:'));
  const workspaceRoot = hasPnpmSpecs ? findWorkspaceRoot(projectDir) : null;
  if (hasPnpmSpecs && workspaceRoot === null)
    throw new ProcVisionError(
      ErrorCodes.dependenciesMissing,
      `${projectDir}/package.json uses workspace: or catalog: specs but no pnpm-workspace.yaml was found above it`,
    );
  if (workspaceRoot !== null) {
    const catalog = await readWorkspaceCatalog(workspaceRoot);
    for (const [name, spec] of Object.entries(dependencies)) dependencies[name] = resolveCatalogSpec(name, spec, catalog);
    const packages = await listWorkspacePackages(workspaceRoot);
    for (const [name, folder] of await firstPartyClosure(project, packages)) {
      hooks.onPack(name);
      const spec = `file:npm-packages/${await packWorkspacePackage(name, folder, npmPackagesDir, { packages, catalog, cacheDir })}`;
      overrides[name] = spec;
      if (name in dependencies) dependencies[name] = spec;
    }
  }
  return {
    name: project.name,
    version: project.version,
    ...(project.type === undefined ? {} : { type: project.type }),
    dependencies: Object.fromEntries(Object.entries(dependencies).sort(([left], [right]) => (left < right ? -1 : 1))),
    ...(Object.keys(overrides).length === 0 ? {} : { overrides }),
    ...(project.engines === undefined ? {} : { engines: project.engines }),
  };
}

/**
 * Creates the staging npm project in `root`: packs first-party workspace packages into
 * `npm-packages/`, writes the sanitised package.json, locks it with `resolved` kept, then
 * `npm ci` for the target's os/cpu/libc with dev dependencies and scripts off, and reads the
 * exact install set. With `skipDependencies` the package has no dependencies at all.
 */
export async function createStagingProject(
  projectDir: string,
  project: PackageJson,
  root: string,
  target: PlatformTarget,
  cacheDir: string,
  skipDependencies: boolean,
  hooks: StagingHooks,
  npmConfigDir = projectDir,
  lockfile: ProjectLockfile | null = null,
): Promise<StagingProject> {
  const npmPackagesDir = join(root, 'npm-packages');
  await mkdir(npmPackagesDir, { recursive: true });
  const packageJson = skipDependencies
    ? { name: project.name, version: project.version, type: project.type, dependencies: {}, engines: project.engines }
    : await sanitisedPackageJson(projectDir, project, npmPackagesDir, cacheDir, hooks);
  await writeFile(join(root, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
  await writeStagingNpmrc(npmConfigDir, root);
  // The project's lockfile is the contract: npm keeps every locked version that still fits and
  // locks only what it lacks (first-party packages, packed above, and their dependencies).
  const firstParty = firstPartyNames(packageJson);
  let seed: ReturnType<typeof narrowLockfile> | null = null;
  if (lockfile !== null && !skipDependencies) {
    assertLockfileInStep(lockfile, project, firstParty);
    seed = narrowLockfile(lockfile, packageJson, firstParty);
    await writeFile(join(root, 'package-lock.json'), `${JSON.stringify(seed, null, 2)}\n`);
  }
  hooks.onLockfile();
  const npm = { cwd: root, cacheDir, network: 'user' as const };
  await runNpm(['install', '--package-lock-only', '--ignore-scripts', '--no-omit-lockfile-registry-resolved', '--no-audit', '--no-fund'], npm);
  if (skipDependencies) return { root, installSet: [], lockedAfresh: [] };
  hooks.onInstall();
  const platformFlags = ['--os', target.os, '--cpu', target.cpu, ...(target.libc === undefined ? [] : ['--libc', target.libc])];
  await runNpm(['ci', ...platformFlags, '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], npm);
  const installSet = await readInstallSet(root);
  const lockedAfresh =
    lockfile === null || seed === null
      ? installSet.filter((entry) => !entry.resolved.startsWith('file:')).map((entry) => `${entry.name}@${entry.version}`)
      : assertTestedVersions(installSet, lockfile, seed);
  return { root, installSet, lockedAfresh };
}
