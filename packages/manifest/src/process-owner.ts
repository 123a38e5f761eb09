import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from './process-alive.js';

/**
 * Who owns a file or folder a process leaves on disk while it runs (a lock, an upload folder,
 * a private frame folder): enough to tell, after a SIGKILL or a reboot, that the owner is gone
 * even when its pid was reused.
 */
export interface ProcessOwner {
  /** The owner's process id. */
  pid: number;
  /** `/proc/sys/kernel/random/boot_id` (Linux), null elsewhere: an owner of an earlier boot is gone. */
  boot_id: string | null;
  /** The owner's start time in clock ticks since boot (`/proc/<pid>/stat` field 22): a reused pid is not the owner. */
  start_ticks: string | null;
}

function readBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

/** Fields after the command name of `/proc/<pid>/stat` (field 3 first); undefined when unreadable. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Field 22 (starttime) of `/proc/<pid>/stat`; null when unknown (not Linux, or no such process). */
export function processStartTicks(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}

/** Kernel clock ticks per second of `/proc` times (USER_HZ: 100 on every Linux architecture Node runs on). */
export const clockTicksPerSecond = 100;

let bootTimeMs: number | null | undefined;
/** When this machine booted (`btime` of /proc/stat), ms since the epoch; null when unknown. */
function bootTime(): number | null {
  if (bootTimeMs !== undefined) return bootTimeMs;
  try {
    const line = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    bootTimeMs = line ? Number(line[1]) * 1000 : null;
  } catch {
    bootTimeMs = null;
  }
  return bootTimeMs;
}

/** When process `pid` started, ms since the epoch (second precision); null when unknown. */
export function processStartedAtMs(pid: number): number | null {
  const ticks = processStartTicks(pid);
  const boot = bootTime();
  return ticks === null || boot === null ? null : boot + (Number(ticks) * 1000) / clockTicksPerSecond;
}

const currentBootId = readBootId();

/** This process as a {@link ProcessOwner}. */
export function currentProcessOwner(): ProcessOwner {
  return { pid: process.pid, boot_id: currentBootId, start_ticks: processStartTicks(process.pid) };
}

/**
 * Whether the recorded owner is certainly gone: another boot, no such process, or its pid
 * reused by a process that started at another time. This process is never gone.
 */
export function isOwnerGone(owner: Partial<ProcessOwner> & { pid: number }): boolean {
  if (owner.pid === process.pid) return false;
  if (typeof owner.boot_id === 'string' && currentBootId !== null && owner.boot_id !== currentBootId) return true;
  if (!isProcessAlive(owner.pid)) return true;
  const ticks = processStartTicks(owner.pid);
  return typeof owner.start_ticks === 'string' && ticks !== null && ticks !== owner.start_ticks;
}

/**
 * Whether the owner of something named only by a pid (a `pv-<pid>-<n>` segment) is gone: the
 * pid is dead, or the process now holding it started after `createdBeforeMs` (a time the thing
 * already existed, e.g. its mtime), so it cannot have created it.
 */
export function isPidOwnerGone(pid: number, createdBeforeMs: number): boolean {
  if (pid === process.pid) return false;
  if (!isProcessAlive(pid)) return true;
  const started = processStartedAtMs(pid);
  // /proc/stat's btime has one-second precision: 2 s of slack.
  return started !== null && started > createdBeforeMs + 2000;
}

/** The owner record's file name inside an owned folder. */
export const ownerFileName = '.procvision-owner.json';

/** Writes this process's {@link ProcessOwner} record into `folder` (mode 0600). */
export function writeFolderOwner(folder: string): void {
  writeFileSync(join(folder, ownerFileName), `${JSON.stringify(currentProcessOwner())}\n`, { mode: 0o600 });
}

/** The owner recorded in `folder`, undefined without a readable record. */
export function readFolderOwner(folder: string): ProcessOwner | undefined {
  try {
    const value = JSON.parse(readFileSync(join(folder, ownerFileName), 'utf8')) as Partial<ProcessOwner>;
    return typeof value.pid === 'number' && Number.isInteger(value.pid) && value.pid > 0
      ? { pid: value.pid, boot_id: value.boot_id ?? null, start_ticks: value.start_ticks ?? null }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * This process as a name tag, `<pid>-<start ticks>-<boot id without dashes>` (`x` for an
 * unknown part): for folders whose owner must be told from their name alone, because the
 * folder's content belongs to someone else (a Python adapter lists its frame folder).
 */
export function ownerNameTag(): string {
  const owner = currentProcessOwner();
  return `${String(owner.pid)}-${owner.start_ticks ?? 'x'}-${owner.boot_id?.replace(/-/g, '') ?? 'x'}`;
}

const nameTagPattern = /^(\d+)-(\d+|x)-([0-9a-f]{32}|x)-/;

/** The owner in a name that starts with an {@link ownerNameTag} and `-`; undefined for any other name. */
export function ownerFromNameTag(name: string): ProcessOwner | undefined {
  const match = nameTagPattern.exec(name);
  if (!match) return undefined;
  const [, pid = '', ticks = 'x', boot = 'x'] = match;
  const bootId = boot === 'x' ? null : `${boot.slice(0, 8)}-${boot.slice(8, 12)}-${boot.slice(12, 16)}-${boot.slice(16, 20)}-${boot.slice(20)}`;
  return { pid: Number(pid), start_ticks: ticks === 'x' ? null : ticks, boot_id: bootId };
}

/** Options of {@link sweepLeftoverFolders}. */
export interface LeftoverSweepOptions {
  /** A folder without an owner record (an older version, or killed before recording) is removed once unchanged this long (default 1 h). */
  ownerlessMaxAgeMs?: number;
  /**
   * Where a folder's owner is recorded: `record` (default), its {@link writeFolderOwner} file;
   * `name`, an {@link ownerNameTag} right after the prefix.
   */
  ownerIn?: 'record' | 'name';
}

/**
 * Removes the folders `<parent>/<prefix>*` whose recorded owner ({@link writeFolderOwner}) is
 * gone ({@link isOwnerGone}), or which have no owner record and were not modified for
 * `ownerlessMaxAgeMs`. Folders of live owners are left alone. Returns the names removed.
 */
export function sweepLeftoverFolders(parent: string, prefix: string, options: LeftoverSweepOptions = {}): string[] {
  const ownerlessMaxAgeMs = options.ownerlessMaxAgeMs ?? 60 * 60 * 1000;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const folder = join(parent, name);
    try {
      const info = statSync(folder);
      if (!info.isDirectory()) continue;
      const owner = options.ownerIn === 'name' ? ownerFromNameTag(name.slice(prefix.length)) : readFolderOwner(folder);
      const leftover = owner === undefined ? Date.now() - info.mtimeMs > ownerlessMaxAgeMs : isOwnerGone(owner);
      if (!leftover) continue;
      rmSync(folder, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // gone meanwhile, or not ours to remove: leave it
    }
  }
  return removed;
}
