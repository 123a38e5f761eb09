import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, ProcVisionError } from '@procvision/manifest/errors';
import { devShmFileName } from './dev-store.js';
import type { FrameWriter, WrittenFrame } from './frame-writer.js';
import { checkFrame, type Frame } from './internal/check-frame.js';
import { onProcessExit, ownerNameTag, sweepLeftoverFolders } from '@procvision/manifest/process-exit';
import { npyHeader } from './internal/npy.js';

/** Options of {@link createFileFrameWriter}. */
export interface FileFrameWriterOptions {
  /**
   * The directory the adapter knows as `$PROC_SHM_DIR`. Absent: a private one is created
   * (mode 0700, under /dev/shm where it exists, else the OS temp dir) and removed on close.
   */
  dir?: string;
  /** Prefix of the `dev-shm:` ids (default `pv`). Letters, digits, `.`, `_`, `-`. */
  prefix?: string;
  /** Most frames held at once (default 64). */
  maxHeld?: number;
}

/** A {@link FrameWriter} whose frames are files: what the Python SDK's adapters read. */
export interface FileFrameWriter extends FrameWriter {
  /** The directory of the frame files (`PROC_SHM_DIR` of the adapter). */
  readonly dir: string;
}

/** The prefix of private frame folders; the owner's {@link ownerNameTag} follows it. */
const privateDirPrefix = 'procvision-shm-';
/** Private frame folders of this process, removed when it exits. */
const privateDirs = new Set<string>();
let exitHookRegistered = false;
let leftoversSwept = false;

/** Where private frame folders go: /dev/shm where it is a folder (Linux), else the OS temp dir. */
function privateDirBase(): string {
  try {
    if (process.platform === 'linux' && statSync('/dev/shm').isDirectory()) return '/dev/shm';
  } catch {
    // no /dev/shm: the temp dir
  }
  return tmpdir();
}

/**
 * Removes the private frame folders (`procvision-shm-<owner>-*`) of processes that are gone
 * (a runner killed with SIGKILL mid-step leaves its Python frame files there): the owner
 * recorded in the folder's name (pid, process start time, boot id) is dead, its pid was reused,
 * or it ran in an earlier boot. Folders without an owner in their name (older runners) go once
 * unchanged for an hour. Runs automatically when the first private folder of a process is
 * created; the runner service runs it at start-up. Returns the removed names.
 */
export function cleanupOrphanFrameFolders(): string[] {
  const base = privateDirBase();
  const removed = sweepLeftoverFolders(base, privateDirPrefix, { ownerIn: 'name' });
  return base === tmpdir() ? removed : [...removed, ...sweepLeftoverFolders(tmpdir(), privateDirPrefix, { ownerIn: 'name' })];
}

/**
 * Creates a private frame directory: mode 0700, on tmpfs (/dev/shm) where there is one, named
 * `<prefix><owner tag>-XXXXXX` so a successor can tell a leftover ({@link cleanupOrphanFrameFolders}).
 * It is removed when this process exits, or earlier by {@link removePrivateShmDir}; the
 * first call of a process sweeps the folders of dead owners.
 */
export function createPrivateShmDir(prefix = privateDirPrefix): string {
  if (!leftoversSwept) {
    leftoversSwept = true;
    cleanupOrphanFrameFolders();
  }
  if (!exitHookRegistered) {
    exitHookRegistered = true;
    onProcessExit(() => {
      for (const dir of privateDirs) rmSync(dir, { recursive: true, force: true });
    });
  }
  const base = privateDirBase();
  const template = `${prefix}${ownerNameTag()}-`;
  let dir: string;
  try {
    dir = mkdtempSync(join(base, template));
  } catch (error) {
    if (base === tmpdir()) throw error;
    dir = mkdtempSync(join(tmpdir(), template));
  }
  privateDirs.add(dir);
  return dir;
}

/**
 * Re-creates a private frame directory made by {@link createPrivateShmDir} and removed since
 * (same path, mode 0700), so a restarted adapter keeps its `PROC_SHM_DIR`.
 */
export function restorePrivateShmDir(dir: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { mode: 0o700 });
  privateDirs.add(dir);
}

/** Removes a private frame directory and its files now (instead of at exit). */
export function removePrivateShmDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  privateDirs.delete(dir);
}

/**
 * The frame writer for Python SDK adapters (both generations): each frame becomes one file in
 * `dir`, named as the Python SDK names it, the whole `dev-shm:<prefix>-<n>` id with every
 * character outside [A-Za-z0-9._-] replaced by `_`: encoded JPEG/PNG bytes as `<name>.bin`,
 * raw pixels as a NumPy `<name>.npy` (uint8, C order, HxW for GRAY or HxWx3). `release`
 * deletes the file; `close` deletes every file and, when the writer created `dir`, `dir`.
 */
export function createFileFrameWriter(options: FileFrameWriterOptions = {}): FileFrameWriter {
  const prefix = options.prefix ?? 'pv';
  if (!/^[A-Za-z0-9._-]{1,32}$/.test(prefix)) throw new RangeError(`prefix must be 1-32 chars of [A-Za-z0-9._-], got ${JSON.stringify(prefix)}`);
  const maxHeld = options.maxHeld ?? 64;
  if (!Number.isInteger(maxHeld) || maxHeld < 1 || maxHeld > 1024) throw new RangeError(`maxHeld must be an integer from 1 to 1024, got ${maxHeld}`);
  const owned = options.dir === undefined;
  const dir = options.dir ?? createPrivateShmDir();
  const held = new Map<number, string>();
  let sequence = 0;
  let closed = false;
  const removeAll = () => {
    for (const path of held.values()) rmSync(path, { force: true });
    held.clear();
    if (owned) removePrivateShmDir(dir);
  };
  const unregister = onProcessExit(removeAll);

  const writeFile = (path: string, parts: readonly Uint8Array[]) => {
    const fd = openSync(path, 'wx', 0o600);
    try {
      for (const part of parts) {
        let offset = 0;
        while (offset < part.byteLength) offset += writeSync(fd, part, offset, part.byteLength - offset);
      }
    } finally {
      closeSync(fd);
    }
  };

  return {
    backend: 'dev-shm',
    slots: maxHeld,
    sabPool: undefined,
    dir,
    write(frame: Frame): WrittenFrame {
      if (closed) throw new Error('FrameWriter is closed');
      const { fields, payload } = checkFrame(frame);
      if (held.size >= maxHeld) {
        throw new ProcVisionError(ErrorCodes.unknownError, `all ${maxHeld} frame files are held by running calls: release a frame after its call's outcome`, {
          details: { maxHeld },
        });
      }
      sequence += 1;
      const sharedMemId = `dev-shm:${prefix}-${sequence}`;
      const path = join(dir, devShmFileName(sharedMemId, fields.encoding === 'raw' ? '.npy' : '.bin'));
      try {
        if (fields.encoding === 'raw') writeFile(path, [npyHeader(fields.height, fields.width, fields.channels === 1 ? 1 : 3), payload]);
        else writeFile(path, [payload]);
      } catch (error) {
        rmSync(path, { force: true });
        throw new ProcVisionError(
          ErrorCodes.unknownError,
          `cannot write the frame file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          { cause: error, details: { path } },
        );
      }
      held.set(sequence, path);
      const timestampMs = frame.timestampMs ?? Date.now();
      return {
        slot: sequence,
        sharedMemId,
        imageMeta: {
          width: fields.width,
          height: fields.height,
          timestamp_ms: Math.max(0, Math.round(timestampMs)),
          camera_id: frame.cameraId ?? 'default',
          color_space: fields.colorSpace,
        },
      };
    },
    release(slot: number): void {
      const path = held.get(slot);
      if (path === undefined) return;
      held.delete(slot);
      try {
        unlinkSync(path);
      } catch {
        // already gone (the adapter or an operator removed it)
      }
    },
    heldCount: () => held.size,
    close(): void {
      if (closed) return;
      closed = true;
      unregister();
      removeAll();
    },
  };
}
