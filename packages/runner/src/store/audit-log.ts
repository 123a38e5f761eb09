import { appendFile, mkdir, rename, rm, stat } from 'node:fs/promises';
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

/** When `logs/audit.jsonl` is rotated and how many rotated files are kept. */
export interface AuditRotation {
  /** Size the file may reach; a record that would pass it goes to a fresh file (default 10 MiB). */
  maxBytes: number;
  /** Rotated files kept: `audit.jsonl.1` (newest) ... `audit.jsonl.<keep>` (default 5). */
  keep: number;
}

/** Default audit log rotation (`audit_log_max_bytes`, `audit_log_keep`). */
export const defaultAuditRotation: AuditRotation = { maxBytes: 10 * 1024 * 1024, keep: 5 };

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Shifts `audit.jsonl` to `.1`, `.1` to `.2` ... and drops the one past `keep` (callers hold the store lock). */
async function rotate(path: string, keep: number): Promise<void> {
  await rm(`${path}.${String(keep)}`, { force: true });
  for (let index = keep - 1; index >= 1; index -= 1) await rename(`${path}.${String(index)}`, `${path}.${String(index + 1)}`).catch(() => undefined);
  await rename(path, `${path}.1`);
}

/** Appends one audit record (one JSON line) to `logs/audit.jsonl`, rotating it first when the record would pass `maxBytes`. */
async function appendAudit(paths: StorePaths, record: AuditRecord, rotation: AuditRotation): Promise<void> {
  await mkdir(paths.logs, { recursive: true });
  const line = `${JSON.stringify(record)}\n`;
  const path = auditLogPath(paths);
  const size = await sizeOf(path);
  if (size > 0 && size + Buffer.byteLength(line) > rotation.maxBytes) await rotate(path, rotation.keep);
  await appendFile(path, line);
}

/**
 * Runs an operation and audits it: one record with `ok`, or `error` with the ProcVisionError's
 * code (9999 otherwise); the error is rethrown unchanged. The log rotates by size (`rotation`).
 */
export async function audited<Result>(
  paths: StorePaths,
  who: string,
  operation: string,
  subject: Record<string, unknown>,
  work: () => Promise<Result>,
  rotation: AuditRotation = defaultAuditRotation,
): Promise<Result> {
  const startedAt = new Date().toISOString();
  try {
    const result = await work();
    await appendAudit(paths, { at: new Date().toISOString(), started_at: startedAt, who, operation, subject, outcome: 'ok' }, rotation);
    return result;
  } catch (error) {
    const code = ProcVisionError.isInstance(error) ? error.code : ErrorCodes.unknownError;
    await appendAudit(
      paths,
      {
        at: new Date().toISOString(),
        started_at: startedAt,
        who,
        operation,
        subject,
        outcome: 'error',
        code,
        message: (error as Error).message,
      },
      rotation,
    );
    throw error;
  }
}
