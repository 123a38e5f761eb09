import { appendFile, mkdir } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import type { StorePaths } from './store-paths.js';

/** One line of `logs/audit.jsonl`. */
export interface AuditRecord {
  /** When the operation ended (ISO 8601). */
  at: string;
  /** When it started (after the store lock was taken). */
  started_at: string;
  /** Who: `user@host pid N`, or the actor given to the store. */
  who: string;
  /** What: `install`, `activate`, `switch`, `rollback`, `uninstall`, `prune`, `scan`, `recover`. */
  operation: string;
  /** The operation's subject and arguments (zip, name, version, pids ...). */
  subject: Record<string, unknown>;
  /** `ok`, or `error` with the code and message. */
  outcome: 'ok' | 'error';
  code?: string;
  message?: string;
}

/** The default actor: `user@host pid N`. */
export function defaultActor(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return `${user}@${hostname()} pid ${String(process.pid)}`;
}

/** The audit trail file. */
function auditLogPath(paths: StorePaths): string {
  return join(paths.logs, 'audit.jsonl');
}

/** Appends one audit record (one JSON line) to `logs/audit.jsonl`. */
async function appendAudit(paths: StorePaths, record: AuditRecord): Promise<void> {
  await mkdir(paths.logs, { recursive: true });
  await appendFile(auditLogPath(paths), `${JSON.stringify(record)}\n`);
}

/**
 * Runs an operation and audits it: one record with `ok`, or `error` with the ProcVisionError's
 * code (9999 otherwise); the error is rethrown unchanged.
 */
export async function audited<Result>(
  paths: StorePaths,
  who: string,
  operation: string,
  subject: Record<string, unknown>,
  work: () => Promise<Result>,
): Promise<Result> {
  const startedAt = new Date().toISOString();
  try {
    const result = await work();
    await appendAudit(paths, { at: new Date().toISOString(), started_at: startedAt, who, operation, subject, outcome: 'ok' });
    return result;
  } catch (error) {
    const code = ProcVisionError.isInstance(error) ? error.code : ErrorCodes.unknownError;
    await appendAudit(paths, {
      at: new Date().toISOString(),
      started_at: startedAt,
      who,
      operation,
      subject,
      outcome: 'error',
      code,
      message: (error as Error).message,
    });
    throw error;
  }
}
