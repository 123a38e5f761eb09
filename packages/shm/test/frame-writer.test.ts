import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closeReaderMappings, createFrameWriter, ImageLoadError, readFrame, readImage } from '../src/index.js';
import { patternPixels } from './helpers/images.js';

const raw = (width: number, height: number, seed = 1) =>
  ({ encoding: 'raw', pixels: patternPixels(width, height, 3, seed), width, height, channels: 3, colorSpace: 'RGB' }) as const;
const pathOf = (sharedMemId: string) => `/dev/shm/${sharedMemId.slice('mmap:'.length)}`;

describe('createFrameWriter', () => {
  it('rotates a ring of slots and never rewrites a held slot', () => {
    const writer = createFrameWriter({ slots: 2, capacityBytes: 1024 });
    try {
      const first = writer.write(raw(4, 4));
      const second = writer.write(raw(4, 4));
      expect([first.slot, second.slot]).toEqual([0, 1]);
      expect(first.sharedMemId).not.toBe(second.sharedMemId);
      expect(() => writer.write(raw(4, 4))).toThrow(/all 2 frame slots are held/);
      writer.release(second.slot);
      expect(writer.write(raw(4, 4)).sharedMemId).toBe(second.sharedMemId);
      expect(writer.heldCount()).toBe(2);
      expect(() => writer.release(2)).toThrow(RangeError);
    } finally {
      writer.close();
    }
  });

  it('grows a slot past its capacity with a new segment and unlinks the old one', async () => {
    const writer = createFrameWriter({ slots: 1, capacityBytes: 16 });
    try {
      const small = writer.write(raw(2, 2));
      writer.release(small.slot);
      const large = writer.write(raw(64, 32, 3));
      expect(large.sharedMemId).not.toBe(small.sharedMemId);
      expect(existsSync(pathOf(small.sharedMemId))).toBe(false);
      expect((await readImage(large.sharedMemId, large.imageMeta)).data).toEqual(patternPixels(64, 32, 3, 3));
    } finally {
      writer.close();
    }
  });

  it('close unlinks every segment; views of closed mappings read as empty (detached)', async () => {
    const writer = createFrameWriter({ slots: 1, capacityBytes: 1024 });
    const written = writer.write(raw(8, 8));
    const image = await readImage(written.sharedMemId, written.imageMeta);
    expect(image.data.byteLength).toBe(192);
    closeReaderMappings();
    expect(image.data.byteLength).toBe(0);
    writer.close();
    expect(existsSync(pathOf(written.sharedMemId))).toBe(false);
    await expect(readImage(written.sharedMemId, written.imageMeta)).rejects.toMatchObject({ reason: 'unknown-id' });
  });

  it('checksum: CRC-32C written and verified; a corrupted payload is 1002', async () => {
    const writer = createFrameWriter({ slots: 1, capacityBytes: 1024, checksum: true });
    try {
      const written = writer.write(raw(8, 8));
      expect((await readFrame(written.sharedMemId)).payload.byteLength).toBe(192);
      expect(statSync(pathOf(written.sharedMemId)).size).toBe(64 + 1024);
      const fd = openSync(pathOf(written.sharedMemId), 'r+');
      writeSync(fd, Buffer.from([255]), 0, 1, 64 + 10);
      closeSync(fd);
      const error = await readFrame(written.sharedMemId).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ImageLoadError);
      expect((error as ImageLoadError).reason).toBe('checksum-mismatch');
    } finally {
      writer.close();
    }
  });

  it('refuses invalid frames with the field named (1006)', () => {
    const writer = createFrameWriter({ backend: 'dev-shm', slots: 1 });
    try {
      expect(() => writer.write({ ...raw(4, 4), width: 5 })).toThrow(/5x4x3 = 60 bytes, got 48/);
      expect(() => writer.write({ ...raw(4, 4), colorSpace: 'GRAY' })).toThrow(/3 channel\(s\) do not match colorSpace GRAY/);
      expect(() => writer.write({ encoding: 'jpeg', bytes: new Uint8Array(), width: 1, height: 1 })).toThrow(/non-empty/);
      expect(() => createFrameWriter({ slots: 0 })).toThrow(/slots must be/);
    } finally {
      writer.close();
    }
  });
});
