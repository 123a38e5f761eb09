import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import archiver from 'archiver';

/**
 * npm's fixed entry time, so the same files give the same tarball bytes. A string: archiver
 * parses it itself (a Date object from another realm or a mocked clock fails its instanceof
 * check and would become "now").
 */
const npmEntryDate = '1985-10-26T08:15:00.000Z';

/**
 * Writes an npm package tarball (`package/<file>` entries, gzip) the way `npm pack` does: the
 * listed files of `folder` in order, `package.json` replaced by `packageJson`, fixed times,
 * mode 0644 (0755 for executables).
 */
export async function writePackageTarball(folder: string, files: readonly string[], packageJson: string, destination: string): Promise<void> {
  const archive = archiver('tar', { gzip: true, gzipOptions: { level: 9 } });
  const written = pipeline(archive, createWriteStream(destination));
  for (const file of [...files].sort()) {
    if (file === 'package.json') {
      archive.append(packageJson, { name: `package/${file}`, date: npmEntryDate, mode: 0o644 });
      continue;
    }
    const path = join(folder, file);
    const executable = ((await stat(path)).mode & 0o111) !== 0;
    // Bytes, not archive.file(): archiver stats files in parallel and would queue them out of order.
    archive.append(await readFile(path), { name: `package/${file}`, date: npmEntryDate, mode: executable ? 0o755 : 0o644 });
  }
  if (!files.includes('package.json')) archive.append(packageJson, { name: 'package/package.json', date: npmEntryDate, mode: 0o644 });
  await archive.finalize();
  await written;
}
