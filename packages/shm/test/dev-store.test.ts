import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearDevImage, devShmFilePath, ImageLoadError, readFrame, readImage, writeDevImageBytes, writeDevPixels } from '../src/index.js';
import { encode, patternPixels } from './helpers/images.js';

describe('dev-shm: in-process store and the Python SDK file convention', () => {
  let directory = '';
  const previous = process.env['PROC_SHM_DIR'];
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'pv-dev-shm-'));
    process.env['PROC_SHM_DIR'] = directory;
  });
  afterAll(() => {
    if (previous === undefined) delete process.env['PROC_SHM_DIR'];
    else process.env['PROC_SHM_DIR'] = previous;
    rmSync(directory, { recursive: true, force: true });
  });

  it('writeDevImageBytes / readImage / clearDevImage (sizes read from the PNG header)', async () => {
    const pixels = patternPixels(12, 6, 3);
    writeDevImageBytes('dev-shm:session-1', await encode(pixels, 12, 6, 3, 'png'));
    const frame = await readFrame('dev-shm:session-1');
    expect(frame).toMatchObject({ encoding: 'png', width: 12, height: 6, backend: 'dev-shm' });
    expect((await readImage('dev-shm:session-1', { width: 12, height: 6 })).data).toEqual(pixels);
    expect(clearDevImage('dev-shm:session-1')).toBe(true);
    await expect(readImage('dev-shm:session-1', { width: 12, height: 6 })).rejects.toMatchObject({ reason: 'unknown-id' });
  });

  it('writeDevPixels: BGR pixels come back as RGB; a wrong size is refused', async () => {
    writeDevPixels('dev-shm:px', Uint8Array.of(1, 2, 3, 4, 5, 6), { width: 2, height: 1, channels: 3, colorSpace: 'BGR' });
    expect((await readImage('dev-shm:px', { width: 2, height: 1, color_space: 'BGR' })).data).toEqual(Uint8Array.of(3, 2, 1, 6, 5, 4));
    expect(() => writeDevPixels('dev-shm:px', Uint8Array.of(1), { width: 2, height: 1, channels: 3, colorSpace: 'RGB' })).toThrow(/2x1x3 = 6 bytes/);
    clearDevImage('px');
  });

  it('falls back to $PROC_SHM_DIR/<whole id sanitised>.bin (JPEG written by a Python dev runner)', async () => {
    const path = devShmFilePath('cam 1/step#2');
    expect(path).toBe(join(directory, 'dev-shm_cam_1_step_2.bin'));
    expect(devShmFilePath('dev-shm:cam 1/step#2')).toBe(path);
    const jpeg = await encode(patternPixels(16, 8, 3), 16, 8, 3, 'jpeg');
    writeFileSync(path, jpeg);
    const image = await readImage('dev-shm:cam 1/step#2', { width: 16, height: 8, timestamp_ms: 1, camera_id: 'c' });
    expect(image.width).toBe(16);
    expect(clearDevImage('dev-shm:cam 1/step#2')).toBe(true);
    expect(existsSync(path)).toBe(false);
  });

  it('a raw pixel file is sized by image_meta; other sizes are 1002', async () => {
    const path = devShmFilePath('raw-frame');
    writeFileSync(path, Buffer.from([10, 20, 30, 40]));
    expect((await readImage('dev-shm:raw-frame', { width: 2, height: 2, color_space: 'GRAY' })).data).toEqual(
      Uint8Array.of(10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40),
    );
    const error = await readImage('dev-shm:raw-frame', { width: 3, height: 3 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImageLoadError);
    expect((error as ImageLoadError).message).toContain('expects 27 (3 channels) or 9 (GRAY)');
    clearDevImage('raw-frame');
  });
});
