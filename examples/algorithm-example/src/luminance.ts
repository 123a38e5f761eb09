import type { Rect, RgbImage } from '@procvision/sdk';

/** Luma (0..255) of the pixel at `x, y` of an RGB image (ITU-R BT.601 weights). */
export function lumaAt(image: RgbImage, x: number, y: number): number {
  const offset = (y * image.width + x) * 3;
  const data = image.data;
  return (77 * data[offset]! + 150 * data[offset + 1]! + 29 * data[offset + 2]!) >> 8;
}

/** Mean luma of `area` (default: the whole image), sampling every `stride`-th pixel. */
export function meanLuma(image: RgbImage, area: Rect = { x: 0, y: 0, width: image.width, height: image.height }, stride = 2): number {
  let sum = 0;
  let count = 0;
  const right = Math.min(image.width, area.x + area.width);
  const bottom = Math.min(image.height, area.y + area.height);
  for (let y = Math.floor(area.y); y < bottom; y += stride) {
    for (let x = Math.floor(area.x); x < right; x += stride) {
      sum += lumaAt(image, x, y);
      count += 1;
    }
  }
  return count === 0 ? 0 : sum / count;
}

/** Bounding box of the pixels at least as bright as `minimumLuma`, or undefined when there are none. */
export function brightBoundingBox(image: RgbImage, minimumLuma: number, stride = 2): Rect | undefined {
  let left = Number.POSITIVE_INFINITY;
  let top = Number.POSITIVE_INFINITY;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < image.height; y += stride) {
    for (let x = 0; x < image.width; x += stride) {
      if (lumaAt(image, x, y) < minimumLuma) continue;
      left = Math.min(left, x);
      top = Math.min(top, y);
      right = Math.max(right, x);
      bottom = Math.max(bottom, y);
    }
  }
  if (right < 0) return undefined;
  return { x: left, y: top, width: Math.min(image.width - left, right - left + stride), height: Math.min(image.height - top, bottom - top + stride) };
}
