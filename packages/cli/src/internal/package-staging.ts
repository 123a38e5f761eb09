import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cp, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { findInstalledPackage } from './find-installed-package.js';

/** A copy of a project that the packager can deliver, and how to remove it. */
interface PackagingStage {
  /** The folder to hand to `buildDeliveryZip`. */
  project: string;
  /** First-party packages linked from a source checkout, delivered as packed tarballs. */
  linkedPackages: string[];
  cleanup(): Promise<void>;
}

interface PackageJson {
  dependencies?: Record<string, string>;
}

/**
 * A project created by `procvision init` outside the toolkit's repository depends on
 * `@procvision/sdk` through a link to the CLI's own copy; before that package is published no
 * registry has it. When a `@procvision/*` dependency resolves to a folder of a pnpm workspace
 * the project is not part of, this stages a copy of the project (manifest, package.json, dist,
 * assets, procvision.target.json) in a temporary workspace that also lists the linked
 * packages' folder, with those dependencies as `workspace:^`, so the packager packs them as
 * first-party tarballs (docs/spec/delivery.md). Returns `undefined` when the project needs no staging.
 */
export async function stageLinkedProject(projectDir: string): Promise<PackagingStage | undefined> {
  const packageJsonPath = join(projectDir, 'package.json');
  if (!existsSync(packageJsonPath)) return undefined;
  const packageJson = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as PackageJson & Record<string, unknown>;
  const linked = new Map<string, string>();
  for (const [name, spec] of Object.entries(packageJson.dependencies ?? {})) {
    if (!name.startsWith('@procvision/') || spec.startsWith('workspace:')) continue;
    const folder = await linkedWorkspaceFolder(projectDir, name);
    if (folder !== undefined) linked.set(name, folder);
  }
  if (linked.size === 0) return undefined;
  const root = await mkdtemp(join(tmpdir(), 'procvision-cli-package-'));
  const project = join(root, basename(projectDir));
  for (const entry of ['manifest.json', 'dist', 'assets', 'procvision.target.json']) {
    if (existsSync(join(projectDir, entry))) await cp(join(projectDir, entry), join(project, entry), { recursive: true });
  }
  const dependencies = { ...packageJson.dependencies };
  for (const name of linked.keys()) dependencies[name] = 'workspace:^';
  await writeFile(join(project, 'package.json'), `${JSON.stringify({ ...packageJson, dependencies }, null, 2)}\n`);
  const packageFolders = [...new Set([...linked.values()].map((folder) => dirname(folder)))];
  const globs = [basename(projectDir), ...packageFolders.map((folder) => `${relative(root, folder).split(sep).join('/')}/*`)];
  await writeFile(join(root, 'pnpm-workspace.yaml'), `packages:\n${globs.map((glob) => `  - '${glob}'`).join('\n')}\n`);
  // Ctrl-C while packaging (process.exit) must not leave the staging copy in the temp folder.
  const removeOnExit = (): void => rmSync(root, { recursive: true, force: true });
  process.once('exit', removeOnExit);
  const cleanup = async (): Promise<void> => {
    process.removeListener('exit', removeOnExit);
    await rm(root, { recursive: true, force: true });
  };
  return { project, linkedPackages: [...linked.keys()], cleanup };
}

/** The real folder of `name` as the project resolves it, when it lies in a pnpm workspace the project is not in. */
async function linkedWorkspaceFolder(projectDir: string, name: string): Promise<string | undefined> {
  const installed = findInstalledPackage(projectDir, name);
  if (installed === undefined) return undefined;
  const folder = await realpath(installed);
  const workspace = workspaceRootAbove(folder);
  if (workspace === undefined) return undefined;
  const project = await realpath(projectDir);
  return project === workspace || project.startsWith(`${workspace}${sep}`) ? undefined : folder;
}

function workspaceRootAbove(directory: string): string | undefined {
  for (let current = resolve(directory); ; current = dirname(current)) {
    if (existsSync(join(current, 'pnpm-workspace.yaml'))) return current;
    if (dirname(current) === current) return undefined;
  }
}
