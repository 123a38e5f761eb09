import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractDeliveryZip, verifyDeliveryZip } from '../src/index.js';
import { readZipEndRecord, type ZipEndRecord } from '../src/internal/zip-end-record.js';
import { deliveryEntries, temporaryFolder } from './helpers/delivery-fixture.js';
import { writeRawZip } from './helpers/raw-zip.js';

const folder = temporaryFolder('procvision-zip-end-');
afterAll(() => folder.cleanup());
let counter = 0;

/** What the classic end record (the last 22 bytes of a writeRawZip zip) declares. */
function classicFields(zip: Buffer): { entries: number; size: number; offset: number } {
  const end = zip.length - 22;
  return { entries: zip.readUInt16LE(end + 10), size: zip.readUInt32LE(end + 12), offset: zip.readUInt32LE(end + 16) };
}

/** Lies and damage to write into a zip64 tail. */
interface Zip64Tail {
  entries?: bigint;
  entriesOnDisk?: bigint;
  size?: bigint;
  offset?: bigint;
  recordSignature?: number;
  recordDisk?: number;
  /** Where the locator says the zip64 record is (default: where it is). */
  recordOffset?: bigint;
  locatorSignature?: number;
  locatorDisk?: number;
  totalDisks?: number;
  /** Leave the locator out (the zip64 record then sits right before the classic record). */
  noLocator?: boolean;
  /** Which classic fields say "see zip64" (default all three). */
  saturate?: Array<'entries' | 'size' | 'offset'>;
  comment?: string;
  /** Last word on the zip64 record's bytes. */
  patch?: (record: Buffer) => void;
}

/**
 * Rewrites a small zip's tail the way a writer of a >65535-entry zip does: the zip64
 * end-of-central-directory record (56 bytes), its locator (20 bytes), then the classic record
 * with the saturated fields 0xFFFF / 0xFFFFFFFF; the real values live in the zip64 record.
 */
function withZip64Tail(zip: Buffer, tail: Zip64Tail = {}): Buffer {
  const body = zip.subarray(0, zip.length - 22);
  const real = classicFields(zip);
  const entries = tail.entries ?? BigInt(real.entries);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(tail.recordSignature ?? 0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeUInt32LE(tail.recordDisk ?? 0, 16);
  record.writeUInt32LE(tail.recordDisk ?? 0, 20);
  record.writeBigUInt64LE(tail.entriesOnDisk ?? entries, 24);
  record.writeBigUInt64LE(entries, 32);
  record.writeBigUInt64LE(tail.size ?? BigInt(real.size), 40);
  record.writeBigUInt64LE(tail.offset ?? BigInt(real.offset), 48);
  tail.patch?.(record);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(tail.locatorSignature ?? 0x07064b50, 0);
  locator.writeUInt32LE(tail.locatorDisk ?? 0, 4);
  locator.writeBigUInt64LE(tail.recordOffset ?? BigInt(body.length), 8);
  locator.writeUInt32LE(tail.totalDisks ?? 1, 16);
  const comment = Buffer.from(tail.comment ?? '', 'utf8');
  const saturate = new Set(tail.saturate ?? ['entries', 'size', 'offset']);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(saturate.has('entries') ? 0xffff : real.entries, 8);
  end.writeUInt16LE(saturate.has('entries') ? 0xffff : real.entries, 10);
  end.writeUInt32LE(saturate.has('size') ? 0xffffffff : real.size, 12);
  end.writeUInt32LE(saturate.has('offset') ? 0xffffffff : real.offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([body, record, ...(tail.noLocator === true ? [] : [locator]), end, comment]);
}

function written(bytes: Buffer): string {
  counter += 1;
  const path = join(folder.path, `case-${counter}.zip`);
  writeFileSync(path, bytes);
  return path;
}

async function endRecordOf(bytes: Buffer): Promise<ZipEndRecord | string> {
  const handle = await open(written(bytes), 'r');
  try {
    return await readZipEndRecord(handle, bytes.length);
  } finally {
    await handle.close();
  }
}

const delivery = writeRawZip(deliveryEntries());
const real = classicFields(delivery);

describe('readZipEndRecord', () => {
  it('reads a classic end record, behind a comment too', async () => {
    const plain = await endRecordOf(delivery);
    expect(plain).toEqual({
      entryCount: real.entries,
      centralDirectorySize: real.size,
      centralDirectoryOffset: real.offset,
      endRecordOffset: delivery.length - 22,
      tailLength: 22,
    });
    const commented = Buffer.concat([delivery, Buffer.from('a comment')]);
    commented.writeUInt16LE(9, delivery.length - 2);
    expect(await endRecordOf(commented)).toMatchObject({ entryCount: real.entries, endRecordOffset: delivery.length - 22, tailLength: 31 });
  });

  it('reads the zip64 record its locator points at: 64-bit counts and offsets, the directory ending at the zip64 record', async () => {
    const bytes = withZip64Tail(delivery, { entries: 70_000n, comment: 'zip64 tail' });
    expect(await endRecordOf(bytes)).toEqual({
      entryCount: 70_000,
      centralDirectorySize: real.size,
      centralDirectoryOffset: real.offset,
      endRecordOffset: delivery.length - 22,
      tailLength: 22 + 'zip64 tail'.length,
    });
    // one saturated field is enough to send the reader to the zip64 record
    for (const field of ['entries', 'size', 'offset'] as const)
      expect(await endRecordOf(withZip64Tail(delivery, { entries: 70_000n, saturate: [field] }))).toMatchObject({ entryCount: 70_000 });
  });

  it('refuses a missing or malformed end record with a reason naming what is wrong', async () => {
    const cases: Array<[string, Buffer, RegExp]> = [
      ['no end record at all', Buffer.from('not a zip, just some bytes long enough to scan'), /no end-of-central-directory record/],
      ['a truncated end record', delivery.subarray(0, delivery.length - 5), /no end-of-central-directory record/],
      ['a zip64 tail without its locator', withZip64Tail(delivery, { noLocator: true }), /zip64 end-of-central-directory locator is missing/],
      ['a locator with a wrong signature', withZip64Tail(delivery, { locatorSignature: 0x12345678 }), /zip64 end-of-central-directory locator is missing/],
      ['a saturated record with no room for a locator', withZip64Tail(Buffer.alloc(22), {}).subarray(56 + 20), /locator is missing/],
      [
        'a locator pointing past the end of the file',
        withZip64Tail(delivery, { recordOffset: 1n << 40n }),
        /zip64 end-of-central-directory record lies outside the file/,
      ],
      [
        'a locator pointing at a signature 20 bytes into the zip64 record (a record that would run into the locator)',
        withZip64Tail(delivery, { recordOffset: BigInt(delivery.length - 22 + 20), patch: (record) => record.writeUInt32LE(0x06064b50, 20) }),
        /lies outside the file or overlaps its locator/,
      ],
      ['a locator pointing at the wrong bytes', withZip64Tail(delivery, { recordOffset: 0n }), /zip64 end-of-central-directory record is missing/],
      ['a zip64 record with a wrong signature', withZip64Tail(delivery, { recordSignature: 0x06054b50 }), /zip64 end-of-central-directory record is missing/],
      ['a multi-disk locator', withZip64Tail(delivery, { totalDisks: 3 }), /multi-disk zips are not supported/],
      ['a locator on another disk', withZip64Tail(delivery, { locatorDisk: 1 }), /multi-disk zips are not supported/],
      ['a zip64 record on another disk', withZip64Tail(delivery, { recordDisk: 2 }), /multi-disk zips are not supported/],
      ['entries split over disks', withZip64Tail(delivery, { entriesOnDisk: 1n }), /multi-disk zips are not supported/],
    ];
    for (const [name, bytes, reason] of cases) expect(await endRecordOf(bytes), name).toMatch(reason);
    const multiDisk = Buffer.from(delivery);
    multiDisk.writeUInt16LE(1, delivery.length - 22 + 4);
    expect(await endRecordOf(multiDisk)).toMatch(/multi-disk zips are not supported/);
  });
});

describe('zip64 end records on the way in (verify and extract)', () => {
  it('extracts a delivery zip whose end is written as zip64', async () => {
    const result = await extractDeliveryZip(written(withZip64Tail(delivery)), join(folder.path, 'zip64-ok'));
    expect(result.delivery.name).toBe('demo-algo');
  });

  it('refuses with 2001 a zip64 record declaring more entries than the limit, before reading the directory', async () => {
    const path = written(withZip64Tail(delivery, { entries: 70_000n }));
    await expect(verifyDeliveryZip(path)).rejects.toMatchObject({
      code: '2001',
      message: expect.stringContaining('declares 70000 entries, more than the limit of 20000'),
    });
  });

  it('refuses with 2001 a zip64 record whose central directory runs past the end record, or whose count disagrees with the directory', async () => {
    await expect(verifyDeliveryZip(written(withZip64Tail(delivery, { size: BigInt(real.size) + 1000n })))).rejects.toMatchObject({
      code: '2001',
      message: expect.stringContaining('the central directory overlaps its end record or lies outside the file'),
    });
    await expect(verifyDeliveryZip(written(withZip64Tail(delivery, { offset: 1n << 60n })))).rejects.toMatchObject({
      code: '2001',
      message: expect.stringContaining('overlaps its end record'),
    });
    await expect(verifyDeliveryZip(written(withZip64Tail(delivery, { entries: BigInt(real.entries) + 1n })))).rejects.toMatchObject({ code: '2001' });
    await expect(verifyDeliveryZip(written(withZip64Tail(delivery, { noLocator: true })))).rejects.toMatchObject({
      code: '2001',
      message: expect.stringContaining('zip64 end-of-central-directory locator is missing'),
    });
  });
});
