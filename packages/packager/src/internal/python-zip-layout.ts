import type { ZipEntry } from './central-directory.js';
import { zipError } from './zip-error.js';
import { ErrorCodes } from '@procvision/manifest';

/** Where a Python delivery zip's entries go once extracted: the project folder's files at the root, `wheels/` beside them. */
interface PythonZipLayout {
  /** The zip's one top-level project folder (`algorithm-example`). */
  folder: string;
  /** zip entry name -> path below the package root (`<folder>/x` -> `x`, `wheels/w.whl` unchanged). */
  targetOf: (entryName: string) => string;
}

/** Names inside the project folder the store keeps for itself. */
const reservedInFolder = [/^wheels(\/|$)/, /^\.venv(\/|$)/, /^SIGNATURE$/, /^\.procvision/];

/** The top-level folder holding `manifest.json` when the zip looks like a Python SDK delivery (no root delivery.json), else null. */
export function pythonProjectFolder(entries: readonly ZipEntry[]): string | null {
  const names = new Set(entries.map((entry) => entry.name));
  if (names.has('delivery.json') || names.has('manifest.json')) return null;
  const folders = [...names]
    .map((name) => /^([^/]+)\/manifest\.json$/.exec(name)?.[1])
    .filter((folder): folder is string => folder !== undefined && folder !== 'wheels');
  return folders.length === 1 ? (folders[0] ?? null) : null;
}

/**
 * Checks the layout `procvision-cli package` writes: one project folder, `wheels/` at the root
 * holding files only, an optional root `SIGNATURE`; nothing else at the root and nothing in
 * the project folder that would land on the store's own names (wheels/, .venv/, SIGNATURE).
 * @throws ProcVisionError 2001 naming the entry
 */
export function checkPythonZipLayout(zipPath: string, entries: readonly ZipEntry[], folder: string): PythonZipLayout {
  const prefix = `${folder}/`;
  for (const entry of entries) {
    const name = entry.name;
    if (name === 'SIGNATURE' || name === 'wheels/') continue;
    if (name.startsWith('wheels/')) {
      if (name.slice('wheels/'.length).includes('/'))
        throw zipError(
          ErrorCodes.invalidZip,
          zipPath,
          name,
          'lies in a subfolder of wheels/ (pip --find-links reads wheels/ itself only; put every wheel directly in wheels/)',
        );
      continue;
    }
    if (!name.startsWith(prefix))
      throw zipError(
        ErrorCodes.invalidZip,
        zipPath,
        name,
        `lies outside the project folder "${folder}/" and wheels/ (a Python delivery zip holds one project folder, wheels/ and optionally SIGNATURE)`,
      );
    const inner = name.slice(prefix.length);
    if (reservedInFolder.some((pattern) => pattern.test(inner)))
      throw zipError(
        ErrorCodes.invalidZip,
        zipPath,
        name,
        `uses a name the store keeps for itself once installed (${inner.split('/')[0] ?? inner}); rename it`,
      );
  }
  return { folder, targetOf: (name) => (name.startsWith(prefix) ? name.slice(prefix.length) : name) };
}
