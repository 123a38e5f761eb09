import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { zipError } from './zip-error.js';
import { ErrorCodes } from '@procvision/manifest';

/**
 * Creates a fresh staging folder `stagingName` (default `.staging-<random hex>`) exclusively
 * inside `destinationParent` and runs `extract` into it; on any failure the folder is removed
 * and the error rethrown, so the parent is left as it was. 2001 (naming `zipPath`) for a
 * staging name that is not a plain folder name, or a folder that exists already.
 */
export async function extractIntoStagingFolder<T>(
  zipPath: string,
  destinationParent: string,
  stagingName: string | undefined,
  extract: (stagingDir: string) => Promise<T>,
): Promise<T & { stagingDir: string }> {
  const name = stagingName ?? `.staging-${randomBytes(8).toString('hex')}`;
  if (/[/\\]/.test(name) || name === '.' || name === '..')
    throw zipError(ErrorCodes.invalidZip, zipPath, null, `staging name "${name}" must be a plain folder name`);
  const parent = resolve(destinationParent);
  await mkdir(parent, { recursive: true });
  const stagingDir = join(parent, name);
  try {
    await mkdir(stagingDir);
  } catch (error) {
    throw zipError(
      ErrorCodes.invalidZip,
      zipPath,
      null,
      `cannot create the staging folder ${stagingDir} (${(error as Error).message}); it must not exist yet`,
      error,
    );
  }
  try {
    return { ...(await extract(stagingDir)), stagingDir };
  } catch (error) {
    await rm(stagingDir, { recursive: true, force: true });
    throw error;
  }
}
