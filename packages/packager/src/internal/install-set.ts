import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';

/** One package npm installed for the target, as recorded in the lockfile. */
export interface InstalledPackage {
  /** `node_modules/...` path. */
  path: string;
  name: string;
  version: string;
  resolved: string;
  /** The sha512 SRI part of the lockfile integrity. */
  integrity: string;
  hasInstallScript: boolean;
  /** The lockfile's `license` (an SPDX expression or a name), when the package declares one. */
  license?: string;
  /** Names this package depends on (dependencies and optional dependencies), as the lockfile lists them. */
  requires: string[];
}

interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  hasInstallScript?: boolean;
  license?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

async function readLockPackages(path: string): Promise<Record<string, LockEntry>> {
  const lockfile = JSON.parse(await readFile(path, 'utf8')) as { packages?: Record<string, LockEntry> };
  if (lockfile.packages === undefined) throw new ProcVisionError(ErrorCodes.dependenciesMissing, `${path} has no "packages" map`);
  return lockfile.packages;
}

/** The package name at a lockfile path (`node_modules/a/node_modules/@b/c` -> `@b/c`). */
function nameFromPath(path: string): string {
  return path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/** What the installed package.json says about install scripts and the license (a lockfile seeded from pnpm-lock.yaml records neither). */
async function installedFacts(folder: string): Promise<{ hasInstallScript: boolean; license?: string }> {
  const path = join(folder, 'package.json');
  if (!existsSync(path)) return { hasInstallScript: false };
  const manifest = JSON.parse(await readFile(path, 'utf8')) as { scripts?: Record<string, unknown>; license?: unknown };
  const scripts = manifest.scripts ?? {};
  const hasInstallScript =
    ['preinstall', 'install', 'postinstall'].some((name) => typeof scripts[name] === 'string') || existsSync(join(folder, 'binding.gyp'));
  const license =
    typeof manifest.license === 'string'
      ? manifest.license
      : typeof (manifest.license as { type?: unknown } | undefined)?.type === 'string'
        ? (manifest.license as { type: string }).type
        : undefined;
  return { hasInstallScript, ...(license === undefined ? {} : { license }) };
}

/**
 * The exact install set for the target: every package of `node_modules/.package-lock.json`
 * written by `npm ci --os --cpu`, with `resolved` and sha512 `integrity` from package-lock.json;
 * install scripts and the license from the lockfile, else from the installed package.json.
 */
export async function readInstallSet(projectDir: string): Promise<InstalledPackage[]> {
  const lockPath = join(projectDir, 'package-lock.json');
  const locked = await readLockPackages(lockPath);
  const installed = await readLockPackages(join(projectDir, 'node_modules', '.package-lock.json'));
  const result: InstalledPackage[] = [];
  for (const path of Object.keys(installed).sort()) {
    const entry = locked[path];
    if (path === '' || installed[path]?.link === true) continue;
    if (entry?.version === undefined || entry.resolved === undefined || entry.integrity === undefined) {
      throw new ProcVisionError(
        ErrorCodes.dependenciesMissing,
        `${lockPath}: "${path}" lacks version, resolved or integrity; npm must record all three for an offline install`,
      );
    }
    const integrity = entry.integrity.split(/\s+/).find((part) => part.startsWith('sha512-'));
    if (integrity === undefined)
      throw new ProcVisionError(ErrorCodes.dependenciesMissing, `${lockPath}: "${path}" has no sha512 integrity (found "${entry.integrity}")`);
    const facts = await installedFacts(join(projectDir, ...path.split('/')));
    const license = typeof entry.license === 'string' ? entry.license : facts.license;
    result.push({
      path,
      name: entry.name ?? nameFromPath(path),
      version: entry.version,
      resolved: entry.resolved,
      integrity,
      hasInstallScript: entry.hasInstallScript === true || facts.hasInstallScript,
      ...(license === undefined ? {} : { license }),
      requires: Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }).sort(),
    });
  }
  return result;
}
