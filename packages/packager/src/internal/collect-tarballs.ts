import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import type { InstalledPackage } from './install-set.js';
import { runNpm } from '../process/run-npm.js';

/** The file name of a registry tarball in npm-packages/ (`@img/sharp-x` 1.0.0 -> `img-sharp-x-1.0.0.tgz`). */
function tarballFileName(name: string, version: string): string {
  return `${name.replace(/^@/, '').replace(/\//g, '-')}-${version}.tgz`;
}

/** Where cacache keeps the content with a given sha512 SRI. */
function cachePath(cacheDir: string, integrity: string): string {
  const hex = Buffer.from(integrity.slice('sha512-'.length), 'base64').toString('hex');
  return join(cacheDir, '_cacache', 'content-v2', 'sha512', hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
}

/**
 * Copies the tarball of every registry package of the install set into `npm-packages/`, from
 * the npm cache by integrity (`npm cache add` of the locked URL fills any gap), and checks
 * each copy's sha512 against the lockfile (2008 on mismatch). First-party `file:` tarballs are
 * already there and are checked the same way. Returns package path -> zip entry name.
 */
export async function collectTarballs(
  installSet: readonly InstalledPackage[],
  projectDir: string,
  cacheDir: string,
  onTarball: (done: number) => void,
): Promise<Map<string, string>> {
  const registryPackages = installSet.filter((entry) => !entry.resolved.startsWith('file:'));
  const missing = registryPackages.filter((entry) => !existsSync(cachePath(cacheDir, entry.integrity)));
  if (missing.length > 0) await runNpm(['cache', 'add', ...missing.map((entry) => entry.resolved)], { cwd: projectDir, cacheDir, network: 'user' });
  const entries = new Map<string, string>();
  let done = 0;
  for (const entry of installSet) {
    const relativeName = entry.resolved.startsWith('file:')
      ? entry.resolved.slice('file:'.length).replace(/^\.\//, '')
      : `npm-packages/${tarballFileName(entry.name, entry.version)}`;
    if (!relativeName.startsWith('npm-packages/'))
      throw new ProcVisionError(
        ErrorCodes.dependenciesMissing,
        `${entry.name}@${entry.version} resolves to ${entry.resolved}; only registry packages and first-party workspace packages can be delivered`,
      );
    const target = join(projectDir, ...relativeName.split('/'));
    if (!entry.resolved.startsWith('file:')) await copyFile(cachePath(cacheDir, entry.integrity), target);
    const digest = `sha512-${createHash('sha512')
      .update(await readFile(target))
      .digest('base64')}`;
    if (digest !== entry.integrity)
      throw new ProcVisionError(
        ErrorCodes.signatureInvalid,
        `${relativeName}: sha512 of ${entry.name}@${entry.version} (${digest.slice(0, 20)}...) differs from the lockfile integrity (${entry.integrity.slice(0, 20)}...)`,
      );
    entries.set(entry.path, relativeName);
    done += 1;
    onTarball(done);
  }
  return entries;
}
