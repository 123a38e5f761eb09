import type { FileHandle } from 'node:fs/promises';

/** What the end-of-central-directory record (classic or zip64) declares. */
export interface ZipEndRecord {
  entryCount: number;
  centralDirectoryOffset: number;
  centralDirectorySize: number;
  /** Where the end record starts: the central directory must end at or before it. */
  endRecordOffset: number;
  /** Bytes from the classic end record to the end of the file (record + comment). */
  tailLength: number;
}

const endSignature = 0x06054b50;
const zip64LocatorSignature = 0x07064b50;
const zip64EndSignature = 0x06064b50;
const maxCommentLength = 0xffff;

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/**
 * Reads the end record from the file's tail before any library parses the central
 * directory, so an absurd entry count or directory size is refused without allocating for it.
 * A zip64 end (a classic field saturated) is read from the zip64 record its locator points at,
 * which must lie before the locator. Returns a reason string when a record is missing or
 * malformed, or the zip spans several disks.
 */
export async function readZipEndRecord(handle: FileHandle, fileSize: number): Promise<ZipEndRecord | string> {
  const tailLength = Math.min(fileSize, 22 + maxCommentLength);
  const tail = await readAt(handle, fileSize - tailLength, tailLength);
  let index = -1;
  for (let position = tail.length - 22; position >= 0; position -= 1) {
    if (tail.readUInt32LE(position) === endSignature) {
      index = position;
      break;
    }
  }
  if (index < 0) return 'no end-of-central-directory record (not a zip file, or truncated)';
  const endRecordOffset = fileSize - tailLength + index;
  const record: ZipEndRecord = {
    entryCount: tail.readUInt16LE(index + 10),
    centralDirectorySize: tail.readUInt32LE(index + 12),
    centralDirectoryOffset: tail.readUInt32LE(index + 16),
    endRecordOffset,
    tailLength: fileSize - endRecordOffset,
  };
  if (tail.readUInt16LE(index + 4) !== 0 || tail.readUInt16LE(index + 6) !== 0) return 'multi-disk zips are not supported';
  const isZip64 = record.entryCount === 0xffff || record.centralDirectoryOffset === 0xffffffff || record.centralDirectorySize === 0xffffffff;
  if (!isZip64) return record;
  if (endRecordOffset < 20) return 'zip64 end-of-central-directory locator is missing';
  const locator = await readAt(handle, endRecordOffset - 20, 20);
  if (locator.readUInt32LE(0) !== zip64LocatorSignature) return 'zip64 end-of-central-directory locator is missing';
  if (locator.readUInt32LE(4) !== 0 || locator.readUInt32LE(16) > 1) return 'multi-disk zips are not supported';
  const zip64Offset = Number(locator.readBigUInt64LE(8));
  if (zip64Offset + 56 > fileSize) return 'zip64 end-of-central-directory record lies outside the file';
  if (zip64Offset + 56 > endRecordOffset - 20) return 'zip64 end-of-central-directory record lies outside the file or overlaps its locator';
  const zip64 = await readAt(handle, zip64Offset, 56);
  if (zip64.readUInt32LE(0) !== zip64EndSignature) return 'zip64 end-of-central-directory record is missing';
  if (zip64.readUInt32LE(16) !== 0 || zip64.readUInt32LE(20) !== 0 || zip64.readBigUInt64LE(24) !== zip64.readBigUInt64LE(32))
    return 'multi-disk zips are not supported';
  return {
    entryCount: Number(zip64.readBigUInt64LE(32)),
    centralDirectorySize: Number(zip64.readBigUInt64LE(40)),
    centralDirectoryOffset: Number(zip64.readBigUInt64LE(48)),
    endRecordOffset: zip64Offset,
    tailLength: record.tailLength,
  };
}
