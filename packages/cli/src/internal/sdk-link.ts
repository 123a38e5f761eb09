import { existsSync, readFileSync } from 'node:fs';
import { lstat, mkdir, realpath, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findInstalledPackage } from './find-installed-package.js';

/** The folder of the `@procvision/sdk` this CLI uses (the one whose adapter runs algorithms). */
async function cliSdkRoot(): Promise<string> {
  const packageJson = fileURLToPath(import.meta.resolve('@procvision/sdk/package.json'));
  return realpath(dirname(packageJson));
}

/** The version of the CLI's own `@procvision/sdk`. */
export async function cliSdkVersion(): Promise<string> {
  const root = await cliSdkRoot();
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** True when `@procvision/sdk` resolves from `projectDir` (installed or linked). */
function projectResolvesSdk(projectDir: string): boolean {
  return findInstalledPackage(projectDir, '@procvision/sdk') !== undefined;
}

/**
 * Makes `@procvision/sdk` resolve from a project that has none: links
 * `<project>/node_modules/@procvision/sdk` to the CLI's own SDK, so the algorithm and the adapter
 * load one SDK instance. Returns the link path when it created one, `undefined` otherwise.
 */
export async function linkCliSdk(projectDir: string): Promise<string | undefined> {
  if (projectResolvesSdk(projectDir)) return undefined;
  const link = join(projectDir, 'node_modules', '@procvision', 'sdk');
  const present = await lstat(link).catch(() => undefined);
  if (present !== undefined) {
    throw new Error(`${link} exists but does not hold a usable @procvision/sdk; remove it or reinstall the package.`);
  }
  await mkdir(dirname(link), { recursive: true });
  await symlink(await cliSdkRoot(), link, process.platform === 'win32' ? 'junction' : 'dir');
  return existsSync(link) ? link : undefined;
}
