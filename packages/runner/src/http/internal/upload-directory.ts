import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '@procvision/manifest/process-exit';

/** Prefix of the service's private upload folders in the OS temp folder. */
const uploadDirectoryPrefix = 'procvision-http-';
const ownerFile = 'owner.json';
/** A folder without an owner file (an older runner) is swept once it is this old. */
const ownerlessMaxAgeMs = 60 * 60 * 1000;

/** Creates this service's upload folder, recording its owner pid so a successor can tell a leftover. */
export async function createUploadDirectory(temp: string): Promise<string> {
  const directory = await mkdtemp(join(temp, uploadDirectoryPrefix));
  await writeFile(join(directory, ownerFile), JSON.stringify({ pid: process.pid, started_ms: Date.now() }));
  return directory;
}

async function isLeftover(directory: string): Promise<boolean> {
  const owner = await readFile(join(directory, ownerFile), 'utf8').then(
    (text) => (JSON.parse(text) as { pid?: unknown }).pid,
    () => undefined,
  );
  if (typeof owner === 'number') return owner !== process.pid && !isProcessAlive(owner);
  const info = await stat(directory).catch(() => undefined);
  return info !== undefined && info.isDirectory() && Date.now() - info.mtimeMs > ownerlessMaxAgeMs;
}

/**
 * Removes the upload folders (`procvision-http-*`) of services that are gone (killed with
 * SIGKILL before they could clean up): their owner pid is dead, or, without an owner file,
 * they are over an hour old. Folders of live services are left alone. Returns the names removed.
 */
export async function sweepUploadLeftovers(temp: string): Promise<string[]> {
  const names = await readdir(temp).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(uploadDirectoryPrefix)) continue;
    const directory = join(temp, name);
    if (!(await isLeftover(directory).catch(() => false))) continue;
    await rm(directory, { recursive: true, force: true }).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed;
}
