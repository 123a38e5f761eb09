import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { onProcessExit } from '@procvision/manifest/process-exit';
import { signalProcessTree } from '../process/signal-process-tree.js';

const children = new Set<ChildProcess>();
const folders = new Set<string>();
let hooked = false;

function cleanUp(): void {
  // A host that exits mid-way (the CLI on Ctrl-C calls process.exit), or a SIGINT/SIGTERM no
  // one else listens for (onProcessExit, as in every ProcVision package): stop npm and the
  // scripts it runs (their process group, even when npm itself has exited but a script still
  // holds its pipes), then remove the staging folders they were writing to.
  for (const child of children) signalProcessTree(child, 'SIGTERM', { afterExit: true });
  for (const folder of folders) {
    try {
      rmSync(folder, { recursive: true, force: true });
    } catch {
      // Exit path: keep removing the others.
    }
  }
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  onProcessExit(cleanUp);
}

/** Removes `folder` if the process exits before the returned function is called. */
export function removeOnExit(folder: string): () => void {
  hook();
  folders.add(folder);
  return () => void folders.delete(folder);
}

/** Sends SIGTERM to the process group of `child` (spawned detached on POSIX) if the process exits while it runs. */
export function stopOnExit(child: ChildProcess): void {
  hook();
  children.add(child);
  child.once('close', () => children.delete(child));
  child.once('error', () => children.delete(child));
}
