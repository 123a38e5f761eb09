import { createHash } from 'node:crypto';
import sharp from 'sharp';

/** Deterministic test pixels: value (index * 7 + seed) % 256. */
export function patternPixels(width: number, height: number, channels: number, seed = 1): Uint8Array {
  const pixels = new Uint8Array(width * height * channels);
  for (let index = 0; index < pixels.length; index += 1) pixels[index] = (index * 7 + seed) % 256;
  return pixels;
}

/** Encodes raw pixels to JPEG or PNG with sharp. */
export async function encode(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4, format: 'jpeg' | 'png'): Promise<Buffer> {
  const image = sharp(pixels, { raw: { width, height, channels } });
  return format === 'jpeg' ? image.jpeg({ quality: 90 }).toBuffer() : image.png().toBuffer();
}

/** What bare sharp decodes from `bytes` (the reference for JPEG comparisons). */
export async function sharpDecode(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await sharp(bytes).raw().toBuffer());
}

/** Hex SHA-256 of bytes. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
