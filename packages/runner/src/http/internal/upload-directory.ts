import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { sweepLeftoverFolders, writeFolderOwner } from '@procvision/manifest/process-exit';

/** Prefix of the service's private upload folders in the OS temp folder. */
const uploadDirectoryPrefix = 'procvision-http-';

/** Creates this service's upload folder, recording its owner (pid, boot id, start time) so a successor can tell a leftover. */
export async function createUploadDirectory(temp: string): Promise<string> {
  const directory = await mkdtemp(join(temp, uploadDirectoryPrefix));
  writeFolderOwner(directory);
  return directory;
}

/**
 * Removes the upload folders (`procvision-http-*`) of services that are gone (killed with
 * SIGKILL before they could clean up): their recorded owner is gone, or, without an owner
 * record, they are over an hour old. Folders of live services are left alone. Returns the names removed.
 */
export function sweepUploadLeftovers(temp: string): string[] {
  return sweepLeftoverFolders(temp, uploadDirectoryPrefix);
}
