import type { Rect, RgbImage } from '@procvision/sdk';
import { lumaAt } from './luminance.js';

/** A connected group of dark pixels. */
interface DarkBlob {
  /** Bounding box in image pixels. */
  rect: Rect;
  /** Area in image pixels (sampled pixels times stride squared). */
  area: number;
}

/** How {@link findDarkBlobs} looks. */
interface DarkBlobOptions {
  /** Pixels with luma below this are dark. */
  cutoff: number;
  /** Look at every `stride`-th pixel in both directions (1 = every pixel). */
  stride: number;
  /** Blobs smaller than this many image pixels are noise and dropped. */
  minimumArea: number;
}

/**
 * Finds the connected groups (4-neighbourhood) of dark pixels inside `region`, largest first.
 * Deterministic: the same pixels always give the same blobs in the same order.
 */
export function findDarkBlobs(image: RgbImage, region: Rect, options: DarkBlobOptions): DarkBlob[] {
  const { stride } = options;
  const left = Math.max(0, Math.floor(region.x));
  const top = Math.max(0, Math.floor(region.y));
  const columns = Math.ceil((Math.min(image.width, region.x + region.width) - left) / stride);
  const rows = Math.ceil((Math.min(image.height, region.y + region.height) - top) / stride);
  if (columns <= 0 || rows <= 0) return [];
  const dark = new Uint8Array(columns * rows);
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns; column += 1) {
      dark[row * columns + column] = lumaAt(image, left + column * stride, top + row * stride) < options.cutoff ? 1 : 0;
    }
  }
  const blobs: DarkBlob[] = [];
  const stack = new Int32Array(columns * rows);
  for (let start = 0; start < dark.length; start += 1) {
    if (dark[start] !== 1) continue;
    dark[start] = 2;
    let size = 0;
    let minColumn = columns;
    let maxColumn = 0;
    let minRow = rows;
    let maxRow = 0;
    let depth = 0;
    stack[depth++] = start;
    while (depth > 0) {
      const cell = stack[--depth]!;
      const row = Math.floor(cell / columns);
      const column = cell - row * columns;
      size += 1;
      minColumn = Math.min(minColumn, column);
      maxColumn = Math.max(maxColumn, column);
      minRow = Math.min(minRow, row);
      maxRow = Math.max(maxRow, row);
      const neighbours = [
        column > 0 ? cell - 1 : -1,
        column < columns - 1 ? cell + 1 : -1,
        row > 0 ? cell - columns : -1,
        row < rows - 1 ? cell + columns : -1,
      ];
      for (const neighbour of neighbours) {
        if (neighbour >= 0 && dark[neighbour] === 1) {
          dark[neighbour] = 2;
          stack[depth++] = neighbour;
        }
      }
    }
    const area = size * stride * stride;
    if (area < options.minimumArea) continue;
    const x = left + minColumn * stride;
    const y = top + minRow * stride;
    blobs.push({
      area,
      rect: {
        x,
        y,
        width: Math.min(image.width - x, (maxColumn - minColumn + 1) * stride),
        height: Math.min(image.height - y, (maxRow - minRow + 1) * stride),
      },
    });
  }
  return blobs.sort((a, b) => b.area - a.area || a.rect.y - b.rect.y || a.rect.x - b.rect.x);
}
