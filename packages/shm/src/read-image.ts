import type sharp from 'sharp';
import { loadSharp } from './internal/load-sharp.js';
import { checkImageMeta, type FrameImageMeta } from './image-meta.js';
import { ImageLoadError } from './image-load-error.js';
import { bgrToRgb, toThreeChannels } from './internal/pixels.js';
import { type FrameView, readFrame } from './read-frame.js';

/** Pixels as algorithms get them: 8-bit RGB, 3 channels, row-major HWC. */
export interface RgbImage {
  width: number;
  height: number;
  channels: 3;
  colorSpace: 'RGB';
  /** `width * height * 3` bytes. For raw RGB frames this is a read-only view into shared memory. */
  data: Uint8Array;
}

async function decode(frame: FrameView): Promise<Uint8Array> {
  let decoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    // sharp reads the payload later on its own threads: the caller holds the frame until this settles.
    // limitInputPixels: an image whose own header claims more pixels than the frame header (a
    // pixel bomb behind a small frame) is refused before sharp allocates anything for it.
    decoded = await (
      await loadSharp()
    )(frame.payload, { limitInputPixels: frame.width * frame.height })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new ImageLoadError(
      'decode-failed',
      frame.sharedMemId,
      `sharp cannot decode the ${frame.encoding.toUpperCase()} payload: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const { data, info } = decoded;
  if (info.width !== frame.width || info.height !== frame.height) {
    throw new ImageLoadError(
      'meta-mismatch',
      frame.sharedMemId,
      `decoded ${frame.encoding.toUpperCase()} is ${info.width}x${info.height} but the header says ${frame.width}x${frame.height}`,
    );
  }
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (info.channels === 3) return pixels;
  if (info.channels === 1 || info.channels === 2 || info.channels === 4) return toThreeChannels(pixels, info.channels);
  throw new ImageLoadError('decode-failed', frame.sharedMemId, `decoded image has ${info.channels} channels`);
}

function rawToRgb(frame: FrameView): Uint8Array {
  if (frame.colorSpace === 'RGB') return frame.payload;
  if (frame.colorSpace === 'BGR') return bgrToRgb(frame.payload);
  return toThreeChannels(frame.payload, 1);
}

/**
 * Reads the image of a call as RGB (the SDK's image reader): JPEG/PNG decoded with sharp,
 * BGR swapped, GRAY expanded, raw RGB returned as a zero-copy view valid for the duration of
 * the call (treat it as read-only: on the mmap backend the page is mapped read-only).
 * `imageMeta` must have positive width and height and agree with the segment header.
 * Every failure is an {@link ImageLoadError} (code 1002) with a reason; never a blank image.
 */
export async function readImage(sharedMemId: string, imageMeta: FrameImageMeta): Promise<RgbImage> {
  const frame = await readFrame(sharedMemId, checkImageMeta(imageMeta, sharedMemId));
  try {
    const data = frame.encoding === 'raw' ? rawToRgb(frame) : await decode(frame);
    if (!frame.isIntact()) {
      throw new ImageLoadError(
        'torn-frame',
        sharedMemId,
        `frame ${frame.frameId} was rewritten while it was read (the writer reused a slot that was still held)`,
      );
    }
    return { width: frame.width, height: frame.height, channels: 3, colorSpace: 'RGB', data };
  } finally {
    frame.release();
  }
}
