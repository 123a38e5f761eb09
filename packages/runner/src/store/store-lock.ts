import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { currentProcessOwner, isOwnerGone, onProcessExit, type ProcessOwner } from '@procvision/manifest/process-exit';
import type { StorePaths } from './store-paths.js';

/** How the store lock is taken. */
export interface StoreLockOptions {
  /**
   * A lock folder without a readable owner record (a process killed between creating the lock
   * and recording itself, or a lock of an older runner) is taken over once it is this old
   * (default 10000 ms, minimum 2000). A lock with an owner record is never taken over by age:
   * only when its owner process is gone.
   */
  staleMs?: number;
  /** Give up waiting for another process's lock after this long (default 300000). */
  timeoutMs?: number;
}

/** `<store>/.lock/owner.json`: who holds the lock. */
interface LockOwner extends ProcessOwner {
  host: string;
  token: string;
  acquired_at: string;
}

/** Whether the recorded owner is certainly gone: on this host, another boot, no such process, or its pid reused by a younger process. */
function ownerIsGone(owner: LockOwner): boolean {
  return owner.host === hostname() && isOwnerGone(owner);
}

async function readOwner(paths: StorePaths): Promise<LockOwner | null> {
  try {
    const value = JSON.parse(await readFile(`${paths.lock}/owner.json`, 'utf8')) as Partial<LockOwner>;
    return typeof value.pid === 'number' && typeof value.token === 'string' ? (value as LockOwner) : null;
  } catch {
    return null;
  }
}

/** Tokens of the locks this process holds, by store root. */
const heldLocks = new Map<string, string>();

/**
 * Throws unless this process still holds the store lock (its token is in `.lock/owner.json`).
 * Every write of registry.json and active.json checks it first, so a process that lost the
 * lock fails without writing.
 * @throws ProcVisionError 2005 when the lock is not held by this process
 */
export async function assertStoreLockHeld(paths: StorePaths): Promise<void> {
  const token = heldLocks.get(paths.root);
  const owner = await readOwner(paths);
  if (token === undefined || owner?.token !== token) {
    const holder = owner === null ? 'nobody' : `pid ${String(owner.pid)}`;
    throw new ProcVisionError(
      ErrorCodes.installFailed,
      `the store lock ${paths.lock} is no longer held by this process (held by ${holder}); nothing was written`,
    );
  }
}

/** Whether this process holds the store lock (its token is in `.lock/owner.json`). */
export async function storeLockHeld(paths: StorePaths): Promise<boolean> {
  const token = heldLocks.get(paths.root);
  return token !== undefined && (await readOwner(paths))?.token === token;
}

/** Takes the lock once: true when taken, false when a live owner holds it. */
async function tryTake(paths: StorePaths, staleMs: number, token: string): Promise<{ taken: boolean; holder?: LockOwner | null }> {
  try {
    await mkdir(paths.lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = await readOwner(paths);
    const age = await stat(paths.lock).then(
      (info) => Date.now() - info.mtimeMs,
      () => 0,
    );
    const gone = owner === null ? age > staleMs : ownerIsGone(owner);
    if (!gone) return { taken: false, holder: owner };
    // Move the dead owner's lock aside (atomic), then try again.
    const aside = `${paths.lock}.dead-${randomBytes(6).toString('hex')}`;
    await rename(paths.lock, aside).catch(() => undefined);
    await rm(aside, { recursive: true, force: true });
    return { taken: false, holder: owner };
  }
  const owner: LockOwner = {
    ...currentProcessOwner(),
    host: hostname(),
    token,
    acquired_at: new Date().toISOString(),
  };
  await writeFile(`${paths.lock}/owner.json`, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
  return { taken: true };
}

/**
 * Runs `work` holding the store's inter-process lock: the folder `runtime_store/.lock` with
 * `owner.json` (pid, boot id, process start time, token). A lock is taken over only when its
 * owner is gone (another boot, a dead pid, a reused pid); a frozen owner (SIGSTOP, VM pause)
 * keeps it however long it sleeps. Registry and binding writes check the token first
 * ({@link assertStoreLockHeld}).
 * @throws ProcVisionError 2005 when another process holds the lock for longer than `timeoutMs`
 */
export async function withStoreLock<Result>(paths: StorePaths, options: StoreLockOptions, work: () => Promise<Result>): Promise<Result> {
  const staleMs = Math.max(2000, options.staleMs ?? 10_000);
  const timeoutMs = options.timeoutMs ?? 300_000;
  const deadline = Date.now() + timeoutMs;
  const token = randomBytes(12).toString('hex');
  for (;;) {
    let attempt: { taken: boolean; holder?: LockOwner | null };
    try {
      attempt = await tryTake(paths, staleMs, token);
    } catch (error) {
      throw new ProcVisionError(ErrorCodes.installFailed, `cannot take the store lock ${paths.lock}: ${(error as Error).message}`, { cause: error });
    }
    if (attempt.taken) break;
    if (Date.now() > deadline) {
      const holder = attempt.holder === null || attempt.holder === undefined ? 'another process' : `pid ${String(attempt.holder.pid)} (alive)`;
      throw new ProcVisionError(
        ErrorCodes.installFailed,
        `the store ${paths.root} is locked by ${holder} (${paths.lock}) for longer than ${String(timeoutMs)} ms; try again when its operation ends`,
      );
    }
    await sleep(50 + Math.random() * 100);
  }
  heldLocks.set(paths.root, token);
  // Ctrl-C / process.exit while held: free the lock at once rather than leaving it to the next taker's liveness check.
  const unhook = onProcessExit(() => {
    try {
      if (JSON.parse(readFileSync(`${paths.lock}/owner.json`, 'utf8')).token === token) rmSync(paths.lock, { recursive: true, force: true });
    } catch {
      // no lock left to free
    }
  });
  try {
    return await work();
  } finally {
    unhook();
    heldLocks.delete(paths.root);
    const owner = await readOwner(paths);
    if (owner?.token === token) await rm(paths.lock, { recursive: true, force: true }).catch(() => undefined);
  }
}
