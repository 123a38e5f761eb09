import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearDevImage, createFileFrameWriter, devShmFileName, ImageLoadError, readImage } from '../src/index.js';
import { npyHeader } from '../src/internal/npy.js';
import { encode, patternPixels } from './helpers/images.js';

/** A `.npy` file as `np.save` writes it (version 1.0), for any dtype/order/shape text. */
function npy(dict: string, data: Uint8Array): Uint8Array {
  const unpadded = 10 + dict.length + 1;
  const text = `${dict}${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const header = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(header);
  header.writeUInt16LE(text.length, 8);
  return Buffer.concat([header, Buffer.from(text, 'latin1'), data]);
}

describe('the Python SDK file convention in $PROC_SHM_DIR', () => {
  let directory = '';
  const previous = process.env['PROC_SHM_DIR'];
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'pv-py-shm-'));
    process.env['PROC_SHM_DIR'] = directory;
  });
  afterAll(() => {
    if (previous === undefined) delete process.env['PROC_SHM_DIR'];
    else process.env['PROC_SHM_DIR'] = previous;
    rmSync(directory, { recursive: true, force: true });
  });

  it('names files after the whole id, prefix included, as the Python SDK does', () => {
    expect(devShmFileName('dev-shm:session-1764620000000', '.bin')).toBe('dev-shm_session-1764620000000.bin');
    expect(devShmFileName('dev-shm:a/b c', '.npy')).toBe('dev-shm_a_b_c.npy');
  });

  it('still reads the older <key>.bin stem our own tools wrote', async () => {
    writeFileSync(join(directory, 'old-stem.bin'), await encode(patternPixels(8, 4, 3), 8, 4, 3, 'png'));
    expect((await readImage('dev-shm:old-stem', { width: 8, height: 4 })).width).toBe(8);
    expect(clearDevImage('dev-shm:old-stem')).toBe(true);
    expect(existsSync(join(directory, 'old-stem.bin'))).toBe(false);
  });

  it('reads .npy uint8 C-order HxWx3 (BGR swapped per image_meta), HxWx1 and HxW', async () => {
    const bgr = Uint8Array.of(1, 2, 3, 4, 5, 6);
    writeFileSync(join(directory, 'dev-shm_np3.npy'), npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 2, 3), }", bgr));
    expect((await readImage('dev-shm:np3', { width: 2, height: 1, color_space: 'BGR' })).data).toEqual(Uint8Array.of(3, 2, 1, 6, 5, 4));
    expect((await readImage('dev-shm:np3', { width: 2, height: 1 })).data).toEqual(bgr);
    writeFileSync(join(directory, 'dev-shm_np1.npy'), npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 1, 1), }", Uint8Array.of(7, 9)));
    expect((await readImage('dev-shm:np1', { width: 1, height: 2 })).data).toEqual(Uint8Array.of(7, 7, 7, 9, 9, 9));
    writeFileSync(join(directory, 'dev-shm_np2.npy'), npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }", Uint8Array.of(1, 2, 3, 4)));
    expect((await readImage('dev-shm:np2', { width: 2, height: 2, color_space: 'GRAY' })).data).toEqual(Uint8Array.of(1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4));
    for (const id of ['np3', 'np1', 'np2']) expect(clearDevImage(id)).toBe(true);
  });

  it.each([
    ['float32', "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 3), }", new Uint8Array(12), /dtype <f4: expected uint8/],
    ['Fortran order', "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 2, 3), }", new Uint8Array(12), /Fortran-order/],
    ['4 channels', "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 1, 4), }", new Uint8Array(4), /expected HxW, HxWx1 or HxWx3/],
    ['1-D', "{'descr': '|u1', 'fortran_order': False, 'shape': (5,), }", new Uint8Array(5), /expected HxW, HxWx1 or HxWx3/],
    ['short data', "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2, 3), }", new Uint8Array(5), /needs 12 data bytes, the file has 5/],
  ])('a .npy file that is not a uint8 frame (%s) is a 1002 naming the file, never a blank image', async (_name, dict, data, message) => {
    const path = join(directory, 'dev-shm_bad.npy');
    writeFileSync(path, npy(dict, data));
    const error = await readImage('dev-shm:bad', { width: 2, height: 2 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImageLoadError);
    expect(error).toMatchObject({ code: '1002' });
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(message);
    clearDevImage('bad');
  });

  it('createFileFrameWriter: private 0700 dir, .bin for encoded and .npy for raw, files removed on release, dir on close', async () => {
    const writer = createFileFrameWriter();
    expect(statSync(writer.dir).mode & 0o777).toBe(0o700);
    if (existsSync('/dev/shm')) expect(writer.dir.startsWith('/dev/shm/')).toBe(true);
    const png = await encode(patternPixels(4, 2, 3), 4, 2, 3, 'png');
    const encoded = writer.write({ encoding: 'png', bytes: png, width: 4, height: 2 });
    const raw = writer.write({ encoding: 'raw', pixels: patternPixels(4, 2, 3), width: 4, height: 2, channels: 3, colorSpace: 'BGR' });
    expect(readdirSync(writer.dir).sort()).toEqual([devShmFileName(encoded.sharedMemId, '.bin'), devShmFileName(raw.sharedMemId, '.npy')].sort());
    const npyBytes = readFileSync(join(writer.dir, devShmFileName(raw.sharedMemId, '.npy')));
    expect(npyBytes.subarray(0, npyHeader(2, 4, 3).byteLength)).toEqual(Buffer.from(npyHeader(2, 4, 3)));
    expect(npyHeader(2, 4, 3).byteLength % 64).toBe(0);
    expect(raw.imageMeta).toMatchObject({ width: 4, height: 2, color_space: 'BGR' });
    writer.release(encoded.slot);
    writer.release(raw.slot);
    expect(readdirSync(writer.dir)).toEqual([]);
    writer.close();
    expect(existsSync(writer.dir)).toBe(false);
  });
});
