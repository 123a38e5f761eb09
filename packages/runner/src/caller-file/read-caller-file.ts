import { constants } from 'node:fs';
import { type FileHandle, open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ErrorCode } from '@procvision/manifest';
import { CallerFileError } from './caller-file-error.js';
import { type FileKind, fileKindOf, withArticle } from './file-kind.js';
import { ErrorCodes } from '@procvision/manifest';

/**
 * Size limits of files named by path, the same as the request bodies that could carry them:
 * an image (or any JSON-borne file) 64 MiB, a delivery zip 1 GiB.
 */
export const callerFileLimits = { imageBytes: 64 * 1024 * 1024, zipBytes: 1024 * 1024 * 1024 } as const;

/** How to check a path a caller named. */
export interface CallerFileOptions {
  /** Who named the path, for messages: `image.path`, `--image`, `path` of `POST /validate`. */
  field: string;
  /** Largest file accepted, in bytes (3005 beyond). */
  maxBytes: number;
  /**
   * Folders the path must lie in once symbolic links are resolved (3003 otherwise).
   * Undefined: any path; an empty list: no path at all.
   */
  allowedRoots?: readonly string[] | undefined;
  /** Code of a missing or unreadable file (default 1006, invalid input). */
  unreadableCode?: ErrorCode;
  /** Folder a relative path is resolved against (default the working folder). */
  cwd?: string;
}

/** A regular file a caller named, opened for reading (close `handle`). */
export interface OpenedCallerFile {
  handle: FileHandle;
  /** Its size in bytes when opened. */
  size: number;
  /** The absolute path with symbolic links resolved. */
  realPath: string;
}

// O_NONBLOCK: opening a FIFO (or a device) never waits for a writer; O_NOCTTY: a terminal never becomes ours.
const openFlags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

function isInside(path: string, root: string): boolean {
  const rest = relative(root, path);
  return rest === '' || (!rest.startsWith(`..${sep}`) && rest !== '..' && !isAbsolute(rest));
}

function notRegular(options: CallerFileOptions, path: string, kind: FileKind): CallerFileError {
  return new CallerFileError(
    ErrorCodes.notARegularFile,
    'not_regular',
    `${options.field} ${path} is ${withArticle(kind)}, not a regular file; name a regular file`,
    {
      field: options.field,
      kind,
    },
  );
}

function tooLarge(options: CallerFileOptions, path: string, size: number): CallerFileError {
  return new CallerFileError(ErrorCodes.fileTooLarge, 'too_large', `${options.field} ${path} is ${size} bytes, over the limit of ${options.maxBytes} bytes`, {
    field: options.field,
    limit: options.maxBytes,
  });
}

function unreadable(options: CallerFileOptions, path: string, error: unknown): CallerFileError {
  const errno = (error as NodeJS.ErrnoException).code;
  const code = options.unreadableCode ?? ErrorCodes.invalidParams;
  if (errno === 'ENOENT' || errno === 'ENOTDIR')
    return new CallerFileError(code, 'missing', `${options.field} ${path} does not exist`, { field: options.field });
  return new CallerFileError(code, 'unreadable', `${options.field} ${path} cannot be read (${errno ?? 'error'})`, { field: options.field });
}

async function allowedRealPath(path: string, absolute: string, options: CallerFileOptions): Promise<string> {
  let real: string;
  try {
    real = await realpath(absolute);
  } catch (error) {
    throw unreadable(options, path, error);
  }
  if (options.allowedRoots === undefined) return real;
  for (const root of options.allowedRoots) {
    const realRoot = await realpath(resolve(root)).catch(() => undefined);
    if (realRoot !== undefined && isInside(real, realRoot)) return real;
  }
  const why =
    options.allowedRoots.length === 0
      ? 'this service reads no files by path (the operator allowed no folder); send the bytes instead'
      : 'it lies outside the folders the operator allows (--allow-path)';
  throw new CallerFileError(ErrorCodes.pathNotAllowed, 'not_allowed', `${options.field} ${path} is not allowed: ${why}`, { field: options.field });
}

/**
 * Opens a file a caller named, safely: inside the allowed roots (symbolic links resolved),
 * a regular file (a folder, FIFO, device or socket is refused by name before it is opened,
 * and checked again on the open handle), opened without blocking, at most `maxBytes`.
 * @throws CallerFileError 3003 outside the roots, 3004 not a regular file, 3005 too large,
 *   `unreadableCode` (default 1006) missing or unreadable
 */
export async function openCallerFile(path: string, options: CallerFileOptions): Promise<OpenedCallerFile> {
  const absolute = resolve(options.cwd ?? process.cwd(), path);
  const realPath = await allowedRealPath(path, absolute, options);
  const before = await stat(realPath).catch((error: unknown) => {
    throw unreadable(options, path, error);
  });
  if (!before.isFile()) throw notRegular(options, path, fileKindOf(before));
  if (before.size > options.maxBytes) throw tooLarge(options, path, before.size);
  let handle: FileHandle;
  try {
    handle = await open(realPath, openFlags);
  } catch (error) {
    throw unreadable(options, path, error);
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw notRegular(options, path, fileKindOf(opened));
    if (opened.size > options.maxBytes) throw tooLarge(options, path, opened.size);
    return { handle, size: opened.size, realPath };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Checks a file a caller named as {@link openCallerFile} does, then closes it: for readers
 * that take a path (the zip verifier). Resolves with the real path to hand them.
 */
export async function checkCallerFile(path: string, options: CallerFileOptions): Promise<{ realPath: string; size: number }> {
  const { handle, size, realPath } = await openCallerFile(path, options);
  await handle.close();
  return { realPath, size };
}

/**
 * Reads a whole file a caller named, checked as {@link openCallerFile} does; a file that grows
 * past `maxBytes` while it is read is refused too (3005). Never puts the bytes in an error.
 */
export async function readCallerFile(path: string, options: CallerFileOptions): Promise<Buffer> {
  const { handle, size } = await openCallerFile(path, options);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const chunkSize = Math.min(Math.max(size, 64 * 1024), 4 * 1024 * 1024);
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(chunkSize, options.maxBytes - total + 1));
      const { bytesRead } = await handle.read(chunk, 0, chunk.byteLength, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > options.maxBytes) throw tooLarge(options, path, total);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}
