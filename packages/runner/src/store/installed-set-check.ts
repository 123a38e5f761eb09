import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Delivery, ProcVisionError, ErrorCodes } from '@procvision/manifest';

interface HiddenLockEntry {
  version?: string;
  link?: boolean;
}

/**
 * Compares what npm installed (`node_modules/.package-lock.json`) with delivery.json's
 * `dependencies` (path and version of each). npm silently skips an optional platform package
 * that is missing, which would break sharp at run time; so every difference is an error.
 * @throws ProcVisionError 2004 listing the missing, unexpected and wrong-version packages
 */
export async function checkInstalledSet(stagingDir: string, delivery: Delivery): Promise<void> {
  const lockPath = join(stagingDir, 'node_modules', '.package-lock.json');
  let installed: Record<string, HiddenLockEntry> = {};
  if (delivery.dependencies.length > 0 || (await fileExists(lockPath))) {
    try {
      installed = (JSON.parse(await readFile(lockPath, 'utf8')) as { packages?: Record<string, HiddenLockEntry> }).packages ?? {};
    } catch (error) {
      throw new ProcVisionError(
        ErrorCodes.dependenciesMissing,
        `cannot read the installed set ${lockPath} (${(error as Error).message}); npm ci did not install the dependencies`,
        {
          cause: error,
        },
      );
    }
  }
  const actual = new Map(
    Object.entries(installed)
      .filter(([path, entry]) => path !== '' && entry.link !== true)
      .map(([path, entry]) => [path, entry.version ?? '?']),
  );
  const problems: string[] = [];
  for (const dependency of delivery.dependencies) {
    const version = actual.get(dependency.path);
    if (version === undefined) problems.push(`${dependency.name}@${dependency.version} missing (${dependency.path})`);
    else if (version !== dependency.version) problems.push(`${dependency.path} is ${version}, expected ${dependency.version}`);
    actual.delete(dependency.path);
  }
  for (const [path, version] of actual) problems.push(`${path}@${version} installed but not in delivery.json`);
  if (problems.length > 0) {
    throw new ProcVisionError(
      ErrorCodes.dependenciesMissing,
      `installed dependencies of ${delivery.name}@${delivery.version} differ from delivery.json: ${problems.join('; ')}`,
      {
        details: { problems },
      },
    );
  }
}

async function fileExists(path: string): Promise<boolean> {
  try {
    await readFile(path);
    return true;
  } catch {
    return false;
  }
}
