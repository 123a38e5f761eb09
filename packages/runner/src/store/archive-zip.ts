import { randomBytes } from 'node:crypto';
import { copyFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { sha256File } from './internal/file-hash.js';
import { noteIntent } from './internal/store-journal.js';
import type { StorePaths } from './store-paths.js';

/** The archived copy of an installed zip. */
export interface ArchivedZip {
  /** File name in `algorithms/zips/`. */
  fileName: string;
  /** Whether this call created the copy (an undo removes only what it created). */
  created: boolean;
}

/**
 * Keeps the original zip in `algorithms/zips/` as `archiveName` (default its own file name;
 * copy to a `.partial-` file, then rename). A zip already there (a scan) or an identical copy is reused.
 * @throws ProcVisionError 2010 when a different zip of the same file name is archived
 */
export async function archiveZip(paths: StorePaths, zipPath: string, zipSha256: string, archiveName?: string): Promise<ArchivedZip> {
  if (dirname(resolve(zipPath)) === paths.zips) return { fileName: basename(zipPath), created: false };
  const fileName = archiveName ?? basename(zipPath);
  const archived = join(paths.zips, fileName);
  const existingSha = await sha256File(archived).catch(() => null);
  if (existingSha === zipSha256) return { fileName, created: false };
  if (existingSha !== null)
    throw new ProcVisionError(
      ErrorCodes.alreadyInstalled,
      `${archived} already holds a different zip of the same name; uninstall that package or rename the zip`,
    );
  const partial = join(paths.zips, `.partial-${randomBytes(6).toString('hex')}-${fileName}`);
  await noteIntent(paths, { intent: 'create', path: partial, role: 'staging' });
  await noteIntent(paths, { intent: 'create', path: archived, role: 'zip' });
  try {
    await copyFile(zipPath, partial);
    await rename(partial, archived);
  } catch (error) {
    await rm(partial, { force: true });
    throw new ProcVisionError(ErrorCodes.installFailed, `cannot archive ${zipPath} into ${paths.zips}: ${(error as Error).message}`, { cause: error });
  }
  return { fileName, created: true };
}
