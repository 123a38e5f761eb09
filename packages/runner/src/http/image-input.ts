import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import type { EncodedFrame } from '@procvision/shm';
import { readImageDimensions } from './internal/image-dimensions.js';
import type { ImageInput, ImageMetaInput } from './request-schemas.js';

const base64Pattern = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** How {@link toFrame} gets and bounds an image. */
export interface FrameSource {
  /** Reads an image named by `{path}` (the service's bounded, non-blocking caller-file read). */
  readPath(path: string, field: string): Promise<Buffer>;
  /** Most pixels (width x height from the header) a frame may have. */
  maxPixels: number;
  /** Name of the field in messages (default `image`). */
  field?: string;
}

async function imageBytes(image: ImageInput, source: FrameSource, field: string): Promise<{ bytes: Buffer; label: string }> {
  if (typeof image !== 'string') return { bytes: await source.readPath(image.path, `${field}.path`), label: `${field}.path ${image.path}` };
  const text = image.replace(/^data:[^;,]*;base64,/, '').replace(/\s+/g, '');
  if (!base64Pattern.test(text))
    throw new ProcVisionError(ErrorCodes.invalidParams, `${field}: expected Base64 of a JPEG or PNG, or {"path": "<file>"}`, { details: { field } });
  return { bytes: Buffer.from(text, 'base64'), label: `${field} (Base64)` };
}

/**
 * Turns the `image` and `image_meta` of a request into a frame for the shared-memory writer:
 * the JPEG/PNG bytes as they came (the algorithm decodes them), width and height read from
 * the image header (and bounded before anything is decoded or written to shared memory),
 * camera id and timestamp from `image_meta` when given.
 * @throws ProcVisionError 1002 when the file cannot be read or the bytes are not a JPEG/PNG,
 *   1006 when `image_meta` width/height disagree with the image, 3008 over `maxPixels`,
 *   3003/3004/3005 for a path outside the allowed roots, not a regular file, or too large
 */
export async function toFrame(image: ImageInput, meta: ImageMetaInput | undefined, source: FrameSource): Promise<EncodedFrame> {
  const field = source.field ?? 'image';
  const { bytes, label } = await imageBytes(image, source, field);
  const dimensions = readImageDimensions(bytes);
  // Never echo the bytes (a path could name a secret file): say what it is not.
  if (!dimensions) throw new ProcVisionError(ErrorCodes.imageLoadFailed, `${label}: not a JPEG or PNG image`, { details: { field } });
  if (dimensions.width === 0 || dimensions.height === 0)
    throw new ProcVisionError(ErrorCodes.imageLoadFailed, `${label}: the image header says ${dimensions.width}x${dimensions.height}`, { details: { field } });
  const pixels = dimensions.width * dimensions.height;
  if (pixels > source.maxPixels) {
    throw new ProcVisionError(
      ErrorCodes.imageTooLarge,
      `${label}: ${dimensions.width}x${dimensions.height} is ${pixels} pixels, over the limit of ${source.maxPixels} per frame; send a smaller image or raise limits.maxFramePixels`,
      {
        details: { field, limit: source.maxPixels, width: dimensions.width, height: dimensions.height },
      },
    );
  }
  for (const key of ['width', 'height'] as const) {
    if (meta?.[key] !== undefined && meta[key] !== dimensions[key]) {
      throw new ProcVisionError(
        ErrorCodes.invalidParams,
        `image_meta.${key} is ${meta[key]} but the image is ${dimensions.width}x${dimensions.height}; omit it or send the image's real size`,
        { details: { field: `image_meta.${key}` } },
      );
    }
  }
  return {
    encoding: dimensions.encoding,
    bytes,
    width: dimensions.width,
    height: dimensions.height,
    timestampMs: meta?.timestamp_ms ?? Date.now(),
    cameraId: meta?.camera_id ?? 'http',
  };
}
