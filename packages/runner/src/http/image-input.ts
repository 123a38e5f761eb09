import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import type { EncodedFrame, RawFrame } from '@procvision/shm';
import { readImageDimensions } from './internal/image-dimensions.js';
import type { ImageInput, ImageMetaInput } from './request-schemas.js';

/** An image that came as bytes: the request body (`image/jpeg`, `image/png`, `application/octet-stream`) or a multipart part. */
export interface BodyImage {
  bytes: Buffer;
  /** Its media type, lower-cased. */
  mediaType: string;
}

/** Channels and colour space of each raw pixel format. */
const rawFormats = {
  GRAY8: { channels: 1, colorSpace: 'GRAY' },
  RGB8: { channels: 3, colorSpace: 'RGB' },
  BGR8: { channels: 3, colorSpace: 'BGR' },
} as const;

const base64Pattern = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** How {@link toFrame} gets and bounds an image. */
export interface FrameSource {
  /** Reads an image named by `{path}` (the service's bounded, non-blocking caller-file read). */
  readPath(path: string, field: string): Promise<Buffer>;
  /** Most pixels (width x height from the header) a frame may have. */
  maxPixels: number;
  /** Name of the field in messages (default `image`). */
  field?: string;
  /** Name of an `image_meta` key in messages (default `image_meta.<key>`; `width` when it came from the query). */
  metaField?: (key: string) => string;
}

async function imageBytes(image: ImageInput | BodyImage, source: FrameSource, field: string): Promise<{ bytes: Buffer; label: string }> {
  if (typeof image !== 'string' && 'bytes' in image) return { bytes: image.bytes, label: `${field} (${image.mediaType} body)` };
  if (typeof image !== 'string') return { bytes: await source.readPath(image.path, `${field}.path`), label: `${field}.path ${image.path}` };
  // One pass each, and only when needed: a data: prefix is sliced off, whitespace removed only if present.
  const comma = image.startsWith('data:') ? image.indexOf(',') : -1;
  let text = comma >= 0 && /^data:[^;,]*;base64$/.test(image.slice(0, comma)) ? image.slice(comma + 1) : image;
  if (/\s/.test(text)) text = text.replace(/\s+/g, '');
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
export async function toFrame(image: ImageInput | BodyImage, meta: ImageMetaInput | undefined, source: FrameSource): Promise<EncodedFrame | RawFrame> {
  const field = source.field ?? 'image';
  const metaField = source.metaField ?? ((key: string) => `${field}_meta.${key}`);
  if (meta?.format === undefined && typeof image !== 'string' && 'bytes' in image && image.mediaType === 'application/octet-stream')
    throw new ProcVisionError(ErrorCodes.invalidParams, `${metaField('format')} is required for raw pixels (GRAY8, RGB8 or BGR8), with width and height`, {
      details: { field: metaField('format') },
    });
  const { bytes, label } = await imageBytes(image, source, field);
  if (meta?.format !== undefined) return rawFrame(bytes, meta, { ...source, field, metaField });
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
        `${metaField(key)} is ${meta[key]} but the image is ${dimensions.width}x${dimensions.height}; omit it or send the image's real size`,
        { details: { field: metaField(key) } },
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

/**
 * A raw frame (GRAY8, RGB8, BGR8): width and height from the meta, the bytes exactly
 * width x height x channels, within the pixel limit; checked before anything is written.
 */
function rawFrame(bytes: Buffer, meta: ImageMetaInput, source: FrameSource & { field: string; metaField: (key: string) => string }): RawFrame {
  const format = rawFormats[meta.format!];
  for (const key of ['width', 'height'] as const) {
    if (meta[key] === undefined)
      throw new ProcVisionError(ErrorCodes.invalidParams, `${source.metaField(key)} is required for a raw ${meta.format} frame`, {
        details: { field: source.metaField(key) },
      });
  }
  const width = meta.width!;
  const height = meta.height!;
  const pixels = width * height;
  if (pixels > source.maxPixels) {
    throw new ProcVisionError(
      ErrorCodes.imageTooLarge,
      `${source.field}: ${width}x${height} is ${pixels} pixels, over the limit of ${source.maxPixels} per frame; send a smaller image or raise limits.maxFramePixels`,
      { details: { field: source.field, limit: source.maxPixels, width, height } },
    );
  }
  const expected = pixels * format.channels;
  if (bytes.byteLength !== expected) {
    throw new ProcVisionError(
      ErrorCodes.invalidParams,
      `${source.field}: ${bytes.byteLength} bytes, but a ${width}x${height} ${meta.format} frame is ${expected} bytes (${source.metaField('width')}, ${source.metaField('height')}, ${source.metaField('format')})`,
      { details: { field: source.field, expected_bytes: expected, got_bytes: bytes.byteLength } },
    );
  }
  return {
    encoding: 'raw',
    pixels: bytes,
    width,
    height,
    channels: format.channels,
    colorSpace: format.colorSpace,
    timestampMs: meta.timestamp_ms ?? Date.now(),
    cameraId: meta.camera_id ?? 'http',
  };
}
