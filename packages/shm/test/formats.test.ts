import { afterAll, describe, expect, it } from 'vitest';
import { type ColorSpace, createFrameWriter, type FrameWriter, readImage } from '../src/index.js';
import { encode, patternPixels, sharpDecode } from './helpers/images.js';

const width = 40;
const height = 30;
const backends = ['mmap', 'sab', 'dev-shm'] as const;

function expand(gray: Uint8Array): Uint8Array {
  const rgb = new Uint8Array(gray.length * 3);
  gray.forEach((value, index) => rgb.fill(value, index * 3, index * 3 + 3));
  return rgb;
}

describe.each(backends)('reader formats on %s', (backend) => {
  const writer: FrameWriter = createFrameWriter({ backend, slots: 2, capacityBytes: 64 * 1024 });
  afterAll(() => writer.close());

  async function roundTrip(frame: Parameters<FrameWriter['write']>[0]) {
    const written = writer.write(frame);
    try {
      return { written, image: await readImage(written.sharedMemId, written.imageMeta) };
    } finally {
      writer.release(written.slot);
    }
  }

  it('JPEG: same pixels as a bare sharp decode', async () => {
    const bytes = await encode(patternPixels(width, height, 3), width, height, 3, 'jpeg');
    const { image } = await roundTrip({ encoding: 'jpeg', bytes, width, height });
    expect(image).toMatchObject({ width, height, channels: 3, colorSpace: 'RGB' });
    expect(image.data).toEqual(await sharpDecode(bytes));
  });

  it('PNG: lossless pixels; gray and RGBA PNG come back as RGB', async () => {
    const rgb = patternPixels(width, height, 3, 2);
    expect((await roundTrip({ encoding: 'png', bytes: await encode(rgb, width, height, 3, 'png'), width, height })).image.data).toEqual(rgb);
    const gray = patternPixels(width, height, 1, 3);
    expect((await roundTrip({ encoding: 'png', bytes: await encode(gray, width, height, 1, 'png'), width, height })).image.data).toEqual(expand(gray));
    const rgba = patternPixels(width, height, 4, 4);
    const stripped = new Uint8Array(width * height * 3).map((_, index) => rgba[Math.floor(index / 3) * 4 + (index % 3)] as number);
    expect((await roundTrip({ encoding: 'png', bytes: await encode(rgba, width, height, 4, 'png'), width, height })).image.data).toEqual(stripped);
  });

  it('raw RGB: returned as a view into the segment (no copy)', async () => {
    const pixels = patternPixels(width, height, 3, 5);
    const written = writer.write({ encoding: 'raw', pixels, width, height, channels: 3, colorSpace: 'RGB' });
    const image = await readImage(written.sharedMemId, written.imageMeta);
    expect(image.data).toEqual(pixels);
    expect(image.data.byteOffset).toBe(64);
    if (backend !== 'mmap') expect(image.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    writer.release(written.slot);
  });

  it.each([
    ['BGR', 3],
    ['GRAY', 1],
  ] as Array<[ColorSpace, 1 | 3]>)('raw %s: converted to RGB', async (colorSpace, channels) => {
    const pixels = patternPixels(width, height, channels, 6);
    const { image, written } = await roundTrip({ encoding: 'raw', pixels, width, height, channels, colorSpace });
    expect(written.imageMeta.color_space).toBe(colorSpace);
    const expected = channels === 1 ? expand(pixels) : new Uint8Array(pixels.length).map((_, index) => pixels[index - (index % 3) + 2 - (index % 3)] as number);
    expect(image.data).toEqual(expected);
  });
});
