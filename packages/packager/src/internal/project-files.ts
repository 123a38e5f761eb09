import { existsSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcVisionError, manifestAssetPaths, type Manifest, ErrorCodes } from '@procvision/manifest';

/** A file to put in the zip: its entry name and where it is on disk. */
export interface ZipSource {
  name: string;
  path: string;
}

async function walk(root: string, relative: string, into: ZipSource[]): Promise<void> {
  const path = join(root, ...relative.split('/'));
  const stats = await lstat(path);
  if (stats.isSymbolicLink())
    throw new ProcVisionError(ErrorCodes.invalidZip, `${path} is a symbolic link; delivery zips hold regular files only (copy the target instead)`);
  if (stats.isFile()) {
    into.push({ name: relative, path });
    return;
  }
  if (!stats.isDirectory()) throw new ProcVisionError(ErrorCodes.invalidZip, `${path} is neither a file nor a folder`);
  for (const child of (await readdir(path)).sort()) await walk(root, `${relative}/${child}`, into);
}

/**
 * The project's files for the zip: `dist/**` (required), `assets/**` when present, and every
 * path named by `required_assets` / `default_config` (1003 when one is missing). Checks that
 * the entry point module is among them.
 */
export async function listProjectFiles(projectDir: string, manifest: Manifest): Promise<ZipSource[]> {
  if (!existsSync(join(projectDir, 'dist')))
    throw new ProcVisionError(ErrorCodes.installFailed, `${projectDir}: no dist/ folder; build the project first (or give it a "build" script)`);
  const sources: ZipSource[] = [];
  await walk(projectDir, 'dist', sources);
  if (existsSync(join(projectDir, 'assets'))) await walk(projectDir, 'assets', sources);
  const names = new Set(sources.map((source) => source.name));
  for (const { field, path } of manifestAssetPaths(manifest)) {
    const asset = path.replace(/^\.\//, '');
    if (names.has(asset)) continue;
    if (!existsSync(join(projectDir, asset)))
      throw new ProcVisionError(ErrorCodes.modelNotFound, `manifest.json ${field} names "${asset}" but ${join(projectDir, asset)} does not exist`);
    await walk(projectDir, asset, sources);
    names.add(asset);
  }
  const entryModule = manifest.entry_point.slice(0, manifest.entry_point.lastIndexOf(':')).replace(/^\.\//, '');
  if (!names.has(entryModule)) {
    throw new ProcVisionError(
      ErrorCodes.invalidZip,
      `manifest.json entry_point "${manifest.entry_point}" must name a module among the packaged files (dist/, assets/); ${entryModule} is not one of them`,
    );
  }
  return sources;
}
