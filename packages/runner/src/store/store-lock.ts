import { setTimeout as sleep } from 'node:timers/promises';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { lock } from 'proper-lockfile';
import type { StorePaths } from './store-paths.js';

/** How the store lock is taken. */
export interface StoreLockOptions {
  /** A lock not refreshed for this long belongs to a dead process and is taken over (default 10000, minimum 2000). */
  staleMs?: number;
  /** Give up waiting for another process's lock after this long (default 300000). */
  timeoutMs?: number;
}

/**
 * Runs `work` holding the store's inter-process lock (`runtime_store/.lock`, a proper-lockfile
 * directory refreshed while held). A lock left by a killed process is taken over once stale.
 * @throws ProcVisionError 2005 when another process holds the lock for longer than `timeoutMs`
 */
export async function withStoreLock<Result>(paths: StorePaths, options: StoreLockOptions, work: () => Promise<Result>): Promise<Result> {
  const staleMs = Math.max(2000, options.staleMs ?? 10_000);
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  let compromised: Error | undefined;
  let release: (() => Promise<void>) | undefined;
  while (release === undefined) {
    try {
      release = await lock(paths.root, {
        lockfilePath: paths.lock,
        realpath: false,
        stale: staleMs,
        onCompromised: (error) => {
          compromised = error;
        },
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') {
        throw new ProcVisionError(ErrorCodes.installFailed, `cannot take the store lock ${paths.lock}: ${(error as Error).message}`, { cause: error });
      }
      if (Date.now() > deadline) {
        throw new ProcVisionError(
          ErrorCodes.installFailed,
          `the store ${paths.root} is locked by another process (${paths.lock}) for longer than ${String(options.timeoutMs ?? 300_000)} ms; try again when its operation ends`,
        );
      }
      await sleep(50 + Math.random() * 100);
    }
  }
  try {
    const result = await work();
    if (compromised !== undefined)
      throw new ProcVisionError(ErrorCodes.installFailed, `the store lock ${paths.lock} was lost during the operation: ${compromised.message}`, {
        cause: compromised,
      });
    return result;
  } finally {
    await release().catch(() => undefined);
  }
}
