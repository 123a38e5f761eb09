import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../usage-error.js';
import { readCallerPath } from './read-caller-path.js';

/** An image file read from disk, checked to be an image, ready to go to shared memory. */
export interface ImageFile {
  /** Absolute path. */
  path: string;
  /** The file's bytes (JPEG and PNG travel encoded; other formats are converted to PNG). */
  bytes: Uint8Array;
  encoding: 'jpeg' | 'png';
  width: number;
  height: number;
  /** The format sharp detected in the file. */
  format: string;
}

/**
 * Reads `--image FILE`: a missing file, one that is not an image, or one whose pixels do not
 * decode (truncated, damaged) is a usage error that says so. JPEG and PNG are passed as they are; other formats sharp reads (WebP, TIFF, BMP ...) are
 * re-encoded to PNG because frames carry JPEG, PNG or raw pixels (docs/spec/shared-memory.md).
 */
export async function readImageFile(file: string, example: string, flag = '--image'): Promise<ImageFile> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`image file ${path} does not exist; pass a JPEG or PNG file with ${flag}.`, { example });
  const { callerFileLimits } = await import('@procvision/runner');
  const bytes = await readCallerPath(path, { field: flag, maxBytes: callerFileLimits.imageBytes, hint: 'pass a JPEG or PNG file', example });
  // sharp throws synchronously for an empty buffer: say so here.
  if (bytes.length === 0) throw new UsageError(`image file ${path} is empty (0 bytes); pass a JPEG or PNG file.`, { example });
  const { default: sharp } = await import('sharp');
  const metadata = await sharp(bytes)
    .metadata()
    .catch((error: unknown) => {
      throw new UsageError(`${path} is not an image sharp can read (${(error as Error).message}); pass a JPEG or PNG file.`, { example, cause: error });
    });
  const { width, height, format } = metadata;
  if (width === undefined || height === undefined || format === undefined) {
    throw new UsageError(`${path} is not an image with a width and height; pass a JPEG or PNG file.`, { example });
  }
  // The header alone says nothing of the pixel data: decode once, so a damaged file is bad
  // input here rather than a 1002 from inside the algorithm process.
  await sharp(bytes, { failOn: 'truncated' })
    .raw()
    .toBuffer()
    .catch((error: unknown) => {
      throw new UsageError(
        `${path} is damaged or truncated: its ${format.toUpperCase()} header reads but its pixels do not decode (${(error as Error).message}); pass a whole JPEG or PNG file.`,
        { example, cause: error },
      );
    });
  if (format === 'jpeg' || format === 'png') return { path, bytes, encoding: format, width, height, format };
  const png = await sharp(bytes).png().toBuffer();
  return { path, bytes: png, encoding: 'png', width, height, format };
}
