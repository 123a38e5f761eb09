import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where named segments live as files: /dev/shm on Linux (the same files shm_open uses, so a
 * native writer and a file-backend reader interoperate); elsewhere a directory under the OS
 * temp dir used by the file backend only.
 */
export function segmentDirectory(): string {
  return process.platform === 'linux' ? '/dev/shm' : join(tmpdir(), 'procvision-shm');
}

/** The file path of segment `name` in {@link segmentDirectory}. */
export function segmentPath(name: string): string {
  return join(segmentDirectory(), name);
}
