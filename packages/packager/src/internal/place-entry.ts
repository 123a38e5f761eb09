import { mkdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { ErrorCodes } from '@procvision/manifest';
import type { ZipEntry } from './central-directory.js';
import { zipError } from './zip-error.js';

/**
 * The one zip-slip guard: where `entry` lands under `destination` as `target` (a `/`-separated
 * path inside the zip, the entry's name unless a layout maps it elsewhere). Refuses a path that
 * resolves outside `destination` (2001), creates the folders on the way, and returns the file's
 * path, or null for a folder entry or when nothing is extracted (`destination` null).
 */
export async function placeEntry(zipPath: string, destination: string | null, entry: ZipEntry, target: string = entry.name): Promise<string | null> {
  if (destination === null || target === '') return null;
  const path = join(destination, ...target.replace(/\/$/, '').split('/'));
  const fromDestination = relative(destination, path);
  if (fromDestination === '..' || fromDestination.startsWith(`..${sep}`))
    throw zipError(ErrorCodes.invalidZip, zipPath, entry.name, 'resolves outside the staging folder');
  await mkdir(entry.isDirectory ? path : dirname(path), { recursive: true });
  return entry.isDirectory ? null : path;
}
