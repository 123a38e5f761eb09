import { readFile } from 'node:fs/promises';
import { ProcVisionError } from '@procvision/manifest';
import type { EncodedFrame } from '@procvision/shm';
import { readImageDimensions } from './internal/image-dimensions.js';
import type { ImageInput, ImageMetaInput } from './request-schemas.js';

const base64Pattern = /^[A-Za-z0-9+/_-]*={0,2}$/;

async function imageBytes(image: ImageInput): Promise<{ bytes: Buffer; source: string }> {
  if (typeof image !== 'string') {
    try {
      return { bytes: await readFile(image.path), source: image.path };
    } catch (error) {
      throw new ProcVisionError('1002', `image.path ${image.path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { details: { field: 'image.path', path: image.path } });
    }
  }
  const text = image.replace(/^data:[^;,]*;base64,/, '').replace(/\s+/g, '');
  if (!base64Pattern.test(text)) throw new ProcVisionError('1006', 'image: expected Base64 of a JPEG or PNG, or {"path": "<file>"}', { details: { field: 'image' } });
  return { bytes: Buffer.from(text, 'base64'), source: 'image (Base64)' };
}

/**
 * Turns the `image` and `image_meta` of a request into a frame for the shared-memory writer:
 * the JPEG/PNG bytes as they came (the algorithm decodes them), width and height read from
 * the image header, camera id and timestamp from `image_meta` when given.
 * @throws ProcVisionError 1002 when the file cannot be read or the bytes are not a JPEG/PNG,
 *   1006 when `image_meta` width/height disagree with the image
 */
export async function toFrame(image: ImageInput, meta: ImageMetaInput = {}): Promise<EncodedFrame> {
  const { bytes, source } = await imageBytes(image);
  const dimensions = readImageDimensions(bytes);
  if (!dimensions) throw new ProcVisionError('1002', `${source}: not a JPEG or PNG image (${bytes.byteLength} bytes, first bytes ${bytes.subarray(0, 8).toString('hex')})`, { details: { field: 'image' } });
  for (const key of ['width', 'height'] as const) {
    if (meta[key] !== undefined && meta[key] !== dimensions[key]) {
      throw new ProcVisionError('1006', `image_meta.${key} is ${meta[key]} but the image is ${dimensions.width}x${dimensions.height}; omit it or send the image's real size`, { details: { field: `image_meta.${key}` } });
    }
  }
  return {
    encoding: dimensions.encoding,
    bytes,
    width: dimensions.width,
    height: dimensions.height,
    timestampMs: meta.timestamp_ms ?? Date.now(),
    cameraId: meta.camera_id ?? 'http',
  };
}
