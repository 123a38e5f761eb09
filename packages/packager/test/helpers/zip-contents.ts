import unzipper from 'unzipper';
import type { RawEntry } from './raw-zip.js';

/** Every entry of a zip, in central-directory order, with its bytes. */
export async function readZipEntries(path: string): Promise<RawEntry[]> {
  const directory = await unzipper.Open.file(path);
  const entries: RawEntry[] = [];
  for (const file of directory.files) entries.push({ name: file.path, data: await file.buffer() });
  return entries;
}
