import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import type { PlatformTarget } from '../target.js';
import { readInstallSet, type InstalledPackage } from './install-set.js';
import { runNpm } from '../process/run-npm.js';
import { writeStagingNpmrc } from './project-npmrc.js';
import { readWorkspaceCatalog, resolveCatalogSpec } from './workspace-catalog.js';
import { findWorkspaceRoot, firstPartyClosure, listWorkspacePackages, packWorkspacePackage, type PackageJson } from './workspace-packages.js';

/** A staging npm project whose lockfile and node_modules describe the target's install set. */
interface StagingProject {
  root: string;
  installSet: InstalledPackage[];
}

/** Hooks for progress reporting. */
interface StagingHooks {
  onPack: (name: string) => void;
  onLockfile: () => void;
  onInstall: () => void;
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
): Promise<StagingProject> {
  const npmPackagesDir = join(root, 'npm-packages');
  await mkdir(npmPackagesDir, { recursive: true });
  const packageJson = skipDependencies
    ? { name: project.name, version: project.version, type: project.type, dependencies: {}, engines: project.engines }
    : await sanitisedPackageJson(projectDir, project, npmPackagesDir, cacheDir, hooks);
  await writeFile(join(root, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
  await writeStagingNpmrc(npmConfigDir, root);
  hooks.onLockfile();
  const npm = { cwd: root, cacheDir, network: 'user' as const };
  await runNpm(['install', '--package-lock-only', '--ignore-scripts', '--no-omit-lockfile-registry-resolved', '--no-audit', '--no-fund'], npm);
  if (skipDependencies) return { root, installSet: [] };
  hooks.onInstall();
  const platformFlags = ['--os', target.os, '--cpu', target.cpu, ...(target.libc === undefined ? [] : ['--libc', target.libc])];
  await runNpm(['ci', ...platformFlags, '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], npm);
  return { root, installSet: await readInstallSet(root) };
}
