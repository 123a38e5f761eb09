// Draws the example's sample board images: a bright board on a dark table with four dark
// screw heads. The NG board has lost its top-left screw and carries a dark stain.
import sharp from 'sharp';

/** Size of every sample image. */
export const sampleSize = { width: 640, height: 480 };

const table = [60, 60, 64];
const board = [200, 205, 195];
const dark = [35, 32, 30];
const boardRect = { x: 40, y: 40, width: 560, height: 400 };
const screws = [
  [70, 70],
  [570, 70],
  [70, 410],
  [570, 410],
];

/**
 * Renders a sample as raw RGB pixels.
 * @param {'ok' | 'ng'} kind
 * @returns {Uint8Array}
 */
function renderSamplePixels(kind) {
  const { width, height } = sampleSize;
  const pixels = new Uint8Array(width * height * 3);
  const paint = (x, y, color) => pixels.set(color, (y * width + x) * 3);
  const screwList = kind === 'ng' ? screws.slice(1) : screws;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const onBoard = x >= boardRect.x && x < boardRect.x + boardRect.width && y >= boardRect.y && y < boardRect.y + boardRect.height;
      let color = onBoard ? board : table;
      if (onBoard && screwList.some(([cx, cy]) => (x - cx) ** 2 + (y - cy) ** 2 <= 12 * 12)) color = dark;
      if (kind === 'ng' && ((x - 320) / 18) ** 2 + ((y - 240) / 12) ** 2 <= 1) color = dark;
      paint(x, y, color);
    }
  }
  return pixels;
}

/**
 * Renders a sample as PNG bytes.
 * @param {'ok' | 'ng'} kind
 * @returns {Promise<Buffer>}
 */
export function renderSamplePng(kind) {
  const { width, height } = sampleSize;
  return sharp(renderSamplePixels(kind), { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}
