import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { isPidOwnerGone } from '@procvision/manifest/process-exit';
import { segmentDirectory, segmentPath } from './internal/segment-directory.js';

const ownedSegmentPattern = /^pv-(\d+)-(\d+)$/;

/**
 * Removes segments `pv-<pid>-<n>` whose owning pid is gone (left by a runner that crashed or
 * was killed with SIGKILL), or is held by a process that started after the segment was last
 * written (the pid was reused, so that process cannot be the owner). Runs automatically when the first frame writer of a process is
 * created. Returns the removed names; a segment of another user it may not unlink is left alone. Scans /dev/shm on Linux (the file backend's directory
 * elsewhere; native macOS segments cannot be listed and are not swept).
 */
export function cleanupOrphanSegments(): string[] {
  let names: string[];
  try {
    names = readdirSync(segmentDirectory());
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = ownedSegmentPattern.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    try {
      if (!isPidOwnerGone(pid, statSync(segmentPath(name)).mtimeMs)) continue;
      unlinkSync(segmentPath(name));
      removed.push(name);
    } catch (error) {
      // Gone already, or another user's segment in a shared /dev/shm (sticky): not ours to remove.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EPERM' && code !== 'EACCES') throw error;
    }
  }
  return removed;
}
