import { openSync, closeSync, writeSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createFrameWriter, ImageLoadError, readFrame, readImage } from '../src/index.js';
import { encode, patternPixels } from './helpers/images.js';

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof ImageLoadError ? error.reason : `unexpected ${String(error)}`),
  );
}

describe.each(['mmap', 'sab', 'dev-shm'] as const)('torn frames on %s', (backend) => {
  const writer = createFrameWriter({ backend, slots: 1, capacityBytes: 256 * 1024 });
  afterAll(() => writer.close());

  it('a JPEG rewritten while sharp decodes it is rejected as torn', async () => {
    const bytes = await encode(patternPixels(64, 64, 3), 64, 64, 3, 'jpeg');
    const first = writer.write({ encoding: 'jpeg', bytes, width: 64, height: 64 });
    const reading = readImage(first.sharedMemId, first.imageMeta);
    // A misbehaving writer ignores ownership: release the held slot and rewrite it mid-read.
    writer.release(first.slot);
    const second = writer.write({ encoding: 'jpeg', bytes, width: 64, height: 64 });
    expect(second.sharedMemId).toBe(first.sharedMemId);
    expect(await reasonOf(reading)).toBe('torn-frame');
    expect(await reasonOf(readImage(second.sharedMemId, second.imageMeta))).toBe('ok');
    writer.release(second.slot);
  });

  it('a raw BGR frame rewritten before conversion is rejected as torn; FrameView.isIntact turns false', async () => {
    const pixels = patternPixels(32, 32, 3);
    const first = writer.write({ encoding: 'raw', pixels, width: 32, height: 32, channels: 3, colorSpace: 'BGR' });
    const reading = readImage(first.sharedMemId, first.imageMeta);
    const viewing = readFrame(first.sharedMemId);
    writer.release(first.slot);
    writer.write({ encoding: 'raw', pixels, width: 32, height: 32, channels: 3, colorSpace: 'BGR' });
    expect(await reasonOf(reading)).toBe('torn-frame');
    const view = await viewing;
    expect(view.isIntact()).toBe(false);
    view.release();
    writer.release(0);
  });
});

describe('torn frames through the file backend writer path', () => {
  it('a frame caught mid-write (odd sequence) is reported as being written', async () => {
    const writer = createFrameWriter({ backend: 'mmap', slots: 1, capacityBytes: 1024 });
    try {
      const written = writer.write({ encoding: 'raw', pixels: patternPixels(8, 8, 3), width: 8, height: 8, channels: 3, colorSpace: 'RGB' });
      // Simulate a writer stopped between "sequence odd" and "sequence even" (e.g. killed).
      const fd = openSync(`/dev/shm/${written.sharedMemId.slice(5)}`, 'r+');
      writeSync(fd, Buffer.from([3, 0, 0, 0]), 0, 4, 12);
      closeSync(fd);
      expect(await reasonOf(readImage(written.sharedMemId, written.imageMeta))).toBe('being-written');
    } finally {
      writer.close();
    }
  });
});
