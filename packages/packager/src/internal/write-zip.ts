import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import archiver from 'archiver';
import type { ZipSource } from './project-files.js';

/** The fixed timestamp of every entry (DOS time, written as UTC by archiver); a string, see write-package-tarball.ts. */
const fixedEntryDate = '2000-01-01T00:00:00Z';

/** One entry of {@link writeZipFile}. */
interface ZipFileEntry {
  name: string;
  /** The file to read, or the entry's bytes. */
  source: { path: string } | Readable | string;
  /** Stored rather than deflated (already compressed: `.tgz`, `.whl`). */
  store: boolean;
}

/**
 * Writes a zip of `entries` in their order: one fixed timestamp, mode 0644, no directory
 * entries. Written to a temporary name and renamed into place; on a failure the temporary
 * file is removed and `outputPath` is untouched.
 */
export async function writeZipFile(outputPath: string, entries: Iterable<ZipFileEntry>): Promise<void> {
  const temporary = `${outputPath}.partial-${String(process.pid)}`;
  const archive = archiver('zip', { zlib: { level: 9 }, statConcurrency: 1 });
  const output = createWriteStream(temporary);
  const finished = new Promise<void>((resolvePromise, reject) => {
    output.on('close', resolvePromise);
    output.on('error', reject);
    archive.on('error', reject);
    archive.on('warning', reject);
  });
  archive.pipe(output);
  for (const { name, source, store } of entries) {
    const entryData: archiver.ZipEntryData = { name, date: fixedEntryDate, mode: 0o644, store };
    if (typeof source === 'object' && 'path' in source) archive.file(source.path, entryData);
    else archive.append(source, entryData);
  }
  try {
    await archive.finalize();
    await finished;
    await rename(temporary, outputPath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Writes a deterministic zip of project files: entries sorted by name, `.tgz` entries stored
 * (already compressed), others deflated (see {@link writeZipFile}).
 */
export function writeDeterministicZip(sources: readonly ZipSource[], outputPath: string): Promise<void> {
  const ordered = [...sources].sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
  return writeZipFile(
    outputPath,
    ordered.map((source) => ({ name: source.name, source: { path: source.path }, store: source.name.endsWith('.tgz') })),
  );
}
