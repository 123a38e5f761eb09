import { ImageLoadError } from './image-load-error.js';
import { COLOR_SPACES, type ColorSpace } from './internal/layout.js';

/** The image_meta of a call (docs/spec/domain.md): at least width and height; color_space defaults to RGB. */
export interface FrameImageMeta {
  width: number;
  height: number;
  timestamp_ms?: number;
  camera_id?: string;
  color_space?: ColorSpace;
}

/**
 * Checks image_meta before any read: width and height positive integers, color_space one of
 * RGB/BGR/GRAY when present. Throws {@link ImageLoadError} (`invalid-meta`) naming the field.
 */
export function checkImageMeta(imageMeta: unknown, sharedMemId: string): FrameImageMeta {
  const invalid = (message: string): never => {
    throw new ImageLoadError('invalid-meta', sharedMemId, `image_meta ${message}`);
  };
  if (typeof imageMeta !== 'object' || imageMeta === null) return invalid('must be an object with width and height');
  const meta = imageMeta as Record<string, unknown>;
  for (const field of ['width', 'height'] as const) {
    const value = meta[field];
    if (value === undefined) invalid(`is missing ${field}`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) invalid(`.${field} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  const colorSpace = meta['color_space'];
  if (colorSpace !== undefined && !COLOR_SPACES.includes(colorSpace as ColorSpace)) {
    invalid(`.color_space must be "RGB", "BGR" or "GRAY", got ${JSON.stringify(colorSpace)}`);
  }
  return meta as unknown as FrameImageMeta;
}

/** Throws `meta-mismatch` when image_meta disagrees with the header, showing both values. */
export function checkMetaAgainstHeader(meta: FrameImageMeta, header: { width: number; height: number; colorSpace: ColorSpace }, sharedMemId: string): void {
  const expectedColor = meta.color_space ?? 'RGB';
  const differences: string[] = [];
  if (meta.width !== header.width) differences.push(`width: image_meta ${meta.width}, header ${header.width}`);
  if (meta.height !== header.height) differences.push(`height: image_meta ${meta.height}, header ${header.height}`);
  if (expectedColor !== header.colorSpace) differences.push(`color_space: image_meta ${expectedColor}, header ${header.colorSpace}`);
  if (differences.length > 0) {
    throw new ImageLoadError('meta-mismatch', sharedMemId, `image_meta disagrees with the segment header (${differences.join('; ')})`, {
      details: { imageMeta: meta, header },
    });
  }
}
