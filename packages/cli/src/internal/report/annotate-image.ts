import { overlaySvg, type DrawnRect } from './rect-overlay.js';

/**
 * Draws `rects` on the image (any format sharp reads) and returns a PNG: an SVG overlay
 * composited with sharp, so rect positions are exactly the result's pixel coordinates.
 */
export async function annotateImage(image: Uint8Array, rects: readonly DrawnRect[]): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const base = sharp(image);
  const { width, height } = await base.metadata();
  if (width === undefined || height === undefined) throw new Error('cannot annotate: the image has no size');
  return base
    .composite([{ input: Buffer.from(overlaySvg(width, height, rects)), top: 0, left: 0 }])
    .png()
    .toBuffer();
}
