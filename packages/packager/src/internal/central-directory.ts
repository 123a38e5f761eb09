import { open } from 'node:fs/promises';
import unzipper from 'unzipper';
import type { ZipLimits } from '../zip-limits.js';
import { collisionKey, unsafeNameReason, unsafeTypeReason } from './zip-entry-rules.js';
import { readZipEndRecord } from './zip-end-record.js';
import { zipError } from './zip-error.js';
import { ErrorCodes } from '@procvision/manifest';

/** One validated central-directory entry. */
export interface ZipEntry {
  name: string;
  isDirectory: boolean;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
  /** Opens the entry's decompressed bytes (unzipper, no size limit of its own). */
  open: () => NodeJS.ReadableStream;
}

/** The validated central directory of a zip file. */
interface CentralDirectoryListing {
  fileSize: number;
  entries: ZipEntry[];
}

const supportedMethods = new Set([0, 8]);

/**
 * Reads and validates the central directory before any byte is extracted: names, types,
 * encryption, duplicates, case collisions, entry count, sizes, ratios, overlaps.
 * Throws ProcVisionError 2001 naming the first bad entry.
 */
export async function readCentralDirectory(zipPath: string, limits: ZipLimits): Promise<CentralDirectoryListing> {
  const handle = await open(zipPath, 'r').catch((error: unknown) => {
    throw zipError(ErrorCodes.invalidZip, zipPath, null, `cannot open the zip (${(error as Error).message})`, error);
  });
  let end;
  let fileSize;
  try {
    fileSize = (await handle.stat()).size;
    end = await readZipEndRecord(handle, fileSize);
  } finally {
    await handle.close();
  }
  if (typeof end === 'string') throw zipError(ErrorCodes.invalidZip, zipPath, null, end);
  if (end.entryCount > limits.maxEntries)
    throw zipError(ErrorCodes.invalidZip, zipPath, null, `declares ${end.entryCount} entries, more than the limit of ${limits.maxEntries}`);
  if (end.centralDirectoryOffset + end.centralDirectorySize > end.endRecordOffset)
    throw zipError(ErrorCodes.invalidZip, zipPath, null, 'the central directory overlaps its end record or lies outside the file');
  const openFile = unzipper.Open.file as (path: string, options: { tailSize: number }) => Promise<unzipper.CentralDirectory>;
  const directory = await openFile(zipPath, { tailSize: Math.max(80, end.tailLength) }).catch((error: unknown) => {
    throw zipError(ErrorCodes.invalidZip, zipPath, null, `unreadable central directory (${(error as Error).message})`, error);
  });
  if (directory.files.length !== end.entryCount)
    throw zipError(
      ErrorCodes.invalidZip,
      zipPath,
      null,
      `the central directory holds ${directory.files.length} entries but the end record declares ${end.entryCount}`,
    );
  const seenNames = new Set<string>();
  const seenKeys = new Map<string, string>();
  let totalBytes = 0;
  let totalCompressed = 0;
  const entries: ZipEntry[] = [];
  for (const file of directory.files) {
    const name = file.path;
    const fail = (reason: string): never => {
      throw zipError(ErrorCodes.invalidZip, zipPath, name, reason);
    };
    const isDirectory = name.endsWith('/');
    const nameReason = unsafeNameReason(name, file.pathBuffer);
    if (nameReason !== null) fail(nameReason);
    const typeReason = unsafeTypeReason(file.versionMadeBy, file.externalFileAttributes, isDirectory);
    if (typeReason !== null) fail(typeReason);
    if ((file.flags & 0x41) !== 0 || file.compressionMethod === 99) fail('is encrypted (encrypted entries are refused)');
    if (!supportedMethods.has(file.compressionMethod)) fail(`uses compression method ${file.compressionMethod} (only stored and deflate are allowed)`);
    if (seenNames.has(name)) fail('appears twice in the central directory (duplicate name)');
    const key = collisionKey(name);
    const collidesWith = seenKeys.get(key);
    if (collidesWith !== undefined) fail(`collides with "${collidesWith}" on a case-insensitive file system`);
    seenNames.add(name);
    seenKeys.set(key, name);
    if (isDirectory && file.uncompressedSize !== 0) fail('is a directory entry with content');
    if (file.uncompressedSize > limits.maxEntryBytes)
      fail(`is ${file.uncompressedSize} bytes uncompressed, more than the per-entry limit of ${limits.maxEntryBytes}`);
    const ratio = file.compressedSize === 0 ? (file.uncompressedSize === 0 ? 0 : Infinity) : file.uncompressedSize / file.compressedSize;
    if (ratio > limits.maxCompressionRatio)
      fail(`expands ${file.compressedSize} bytes to ${file.uncompressedSize} (ratio above ${limits.maxCompressionRatio}:1, a zip bomb)`);
    totalBytes += file.uncompressedSize;
    totalCompressed += file.compressedSize;
    if (totalBytes > limits.maxTotalBytes) fail(`brings the total uncompressed size above the limit of ${limits.maxTotalBytes} bytes`);
    entries.push({
      name,
      isDirectory,
      compressedSize: file.compressedSize,
      uncompressedSize: file.uncompressedSize,
      crc32: file.crc32 >>> 0,
      open: () => file.stream(),
    });
  }
  if (totalCompressed > fileSize)
    throw zipError(ErrorCodes.invalidZip, zipPath, null, `entries claim ${totalCompressed} compressed bytes, more than the file's ${fileSize} bytes`);
  checkNoOverlap(zipPath, directory.files, end.centralDirectoryOffset);
  checkNoFileDirectoryClash(zipPath, entries);
  return { fileSize, entries };
}

/** Entries must not share bytes (overlapping entries are a known zip-bomb trick). */
function checkNoOverlap(zipPath: string, files: unzipper.File[], centralDirectoryOffset: number): void {
  const ordered = [...files].sort((left, right) => left.offsetToLocalFileHeader - right.offsetToLocalFileHeader);
  ordered.forEach((file, index) => {
    const nextOffset = ordered[index + 1]?.offsetToLocalFileHeader ?? centralDirectoryOffset;
    if (file.offsetToLocalFileHeader + 30 + file.fileNameLength + file.compressedSize > nextOffset) {
      throw zipError(ErrorCodes.invalidZip, zipPath, file.path, 'overlaps the next entry or the central directory (overlapping entries are refused)');
    }
  });
}

/** A name cannot be both a file and a directory ("a" and "a/b"). */
function checkNoFileDirectoryClash(zipPath: string, entries: ZipEntry[]): void {
  const fileKeys = new Set(entries.filter((entry) => !entry.isDirectory).map((entry) => collisionKey(entry.name)));
  for (const entry of entries) {
    const segments = collisionKey(entry.name).split('/');
    for (let depth = 1; depth < segments.length; depth += 1) {
      const parent = segments.slice(0, depth).join('/');
      if (fileKeys.has(parent)) throw zipError(ErrorCodes.invalidZip, zipPath, entry.name, `lies under "${parent}", which is also a file`);
    }
  }
}
