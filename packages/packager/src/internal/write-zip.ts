import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import archiver from 'archiver';
import type { ZipSource } from './project-files.js';

/** The fixed timestamp of every entry (DOS time, written as UTC by archiver). */
export const fixedEntryDate = new Date('2000-01-01T00:00:00Z');

/**
 * Writes a deterministic zip: entries sorted by name, one fixed timestamp, mode 0644, no
 * directory entries; `.tgz` entries stored (already compressed), others deflated. Written to a
 * temporary name and renamed into place.
 */
export async function writeDeterministicZip(sources: readonly ZipSource[], outputPath: string): Promise<void> {
  const ordered = [...sources].sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
  const temporary = `${outputPath}.partial-${process.pid}`;
  const archive = archiver('zip', { zlib: { level: 9 }, statConcurrency: 1 });
  const output = createWriteStream(temporary);
  const finished = new Promise<void>((resolvePromise, reject) => {
    output.on('close', resolvePromise);
    output.on('error', reject);
    archive.on('error', reject);
    archive.on('warning', reject);
  });
  archive.pipe(output);
  for (const source of ordered) {
    const entryData: archiver.ZipEntryData = { name: source.name, date: fixedEntryDate, mode: 0o644, store: source.name.endsWith('.tgz') };
    archive.file(source.path, entryData);
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
