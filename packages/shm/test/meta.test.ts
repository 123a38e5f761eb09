import { afterAll, describe, expect, it } from 'vitest';
import { createFrameWriter, ImageLoadError, readImage } from '../src/index.js';
import { encode, patternPixels } from './helpers/images.js';

async function failure(promise: Promise<unknown>): Promise<ImageLoadError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ImageLoadError);
  expect((error as ImageLoadError).code).toBe('1002');
  return error as ImageLoadError;
}

describe('image_meta checks', () => {
  const writer = createFrameWriter({ backend: 'mmap', slots: 1, capacityBytes: 16 * 1024 });
  afterAll(() => writer.close());
  const written = writer.write({ encoding: 'raw', pixels: patternPixels(20, 10, 3), width: 20, height: 10, channels: 3, colorSpace: 'RGB' });

  it('width/height/color_space disagreeing with the header: 1002 showing both values', async () => {
    const error = await failure(readImage(written.sharedMemId, { ...written.imageMeta, width: 21, color_space: 'BGR' }));
    expect(error.reason).toBe('meta-mismatch');
    expect(error.message).toContain('width: image_meta 21, header 20');
    expect(error.message).toContain('color_space: image_meta BGR, header RGB');
    expect(error.toJSON()).toMatchObject({ code: '1002', details: { reason: 'meta-mismatch' } });
  });

  it('invalid image_meta (missing or non-positive width/height): invalid-meta', async () => {
    expect((await failure(readImage(written.sharedMemId, { width: 0, height: 10 }))).reason).toBe('invalid-meta');
    expect((await failure(readImage(written.sharedMemId, { width: 20 } as never))).message).toContain('missing height');
    expect((await failure(readImage(written.sharedMemId, null as never))).reason).toBe('invalid-meta');
  });

  it('unknown and malformed ids', async () => {
    expect((await failure(readImage('mmap:pv-0-0', { width: 1, height: 1 }))).reason).toBe('unknown-id');
    expect((await failure(readImage('sab:nopool/0', { width: 1, height: 1 }))).reason).toBe('unknown-id');
    expect((await failure(readImage('dev-shm:never-written', { width: 1, height: 1 }))).reason).toBe('unknown-id');
    expect((await failure(readImage('shm:abc', { width: 1, height: 1 }))).reason).toBe('invalid-id');
    expect((await failure(readImage('mmap:../etc/passwd', { width: 1, height: 1 }))).reason).toBe('invalid-id');
  });

  it('a JPEG whose header size disagrees with its real size, and undecodable bytes: 1002', async () => {
    const jpeg = await encode(patternPixels(8, 8, 3), 8, 8, 3, 'jpeg');
    writer.release(0);
    const lying = writer.write({ encoding: 'jpeg', bytes: jpeg, width: 9, height: 8 });
    expect((await failure(readImage(lying.sharedMemId, lying.imageMeta))).message).toContain('decoded JPEG is 8x8 but the header says 9x8');
    writer.release(lying.slot);
    const garbage = writer.write({ encoding: 'png', bytes: new Uint8Array([1, 2, 3, 4]), width: 8, height: 8 });
    expect((await failure(readImage(garbage.sharedMemId, garbage.imageMeta))).reason).toBe('decode-failed');
    writer.release(garbage.slot);
  });
});
