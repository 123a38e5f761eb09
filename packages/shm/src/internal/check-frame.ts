import { ErrorCodes, ProcVisionError } from '@procvision/manifest/errors';
import type { ColorSpace, FrameFields } from './layout.js';

/** Common fields of a frame given to the writer. */
interface FrameBase {
  width: number;
  height: number;
  /** Capture time; default `Date.now()`. */
  timestampMs?: number;
  /** Camera id copied into image_meta.camera_id; default `"default"`. */
  cameraId?: string;
}

/** An encoded camera frame (JPEG or PNG bytes) with its size. */
export interface EncodedFrame extends FrameBase {
  encoding: 'jpeg' | 'png';
  bytes: Uint8Array;
  /** Colour space reported in image_meta (default RGB). */
  colorSpace?: ColorSpace;
}

/** A raw camera frame: HWC 8-bit pixels, 1 (GRAY) or 3 (RGB/BGR) channels. */
export interface RawFrame extends FrameBase {
  encoding: 'raw';
  pixels: Uint8Array;
  channels: 1 | 3;
  colorSpace: ColorSpace;
}

/** A frame given to {@link FrameWriter.write}. */
export type Frame = EncodedFrame | RawFrame;

function invalid(message: string): never {
  throw new ProcVisionError(ErrorCodes.invalidParams, `invalid frame: ${message}`);
}

/** Checks a frame's fields and returns the header fields (without time, id, crc) and payload. */
export function checkFrame(frame: Frame): { fields: Omit<FrameFields, 'timestampMs' | 'frameId' | 'crc32c'>; payload: Uint8Array } {
  for (const field of ['width', 'height'] as const) {
    const value = frame[field];
    if (!Number.isInteger(value) || value <= 0 || value > 0xffff_ffff) invalid(`${field} must be a positive integer, got ${String(value)}`);
  }
  if (frame.timestampMs !== undefined && (!Number.isFinite(frame.timestampMs) || frame.timestampMs < 0)) {
    invalid(`timestampMs must be a finite number >= 0, got ${String(frame.timestampMs)}`);
  }
  if (frame.encoding === 'raw') {
    if (frame.channels !== 1 && frame.channels !== 3) invalid(`channels must be 1 or 3, got ${String(frame.channels)}`);
    if ((frame.channels === 1) !== (frame.colorSpace === 'GRAY')) invalid(`${frame.channels} channel(s) do not match colorSpace ${frame.colorSpace}`);
    if (!['RGB', 'BGR', 'GRAY'].includes(frame.colorSpace)) invalid(`colorSpace must be RGB, BGR or GRAY, got ${String(frame.colorSpace)}`);
    const expected = frame.width * frame.height * frame.channels;
    if (!(frame.pixels instanceof Uint8Array) || frame.pixels.byteLength !== expected) {
      invalid(`pixels must be a Uint8Array of ${frame.width}x${frame.height}x${frame.channels} = ${expected} bytes, got ${frame.pixels?.byteLength}`);
    }
    return {
      fields: { encoding: 'raw', colorSpace: frame.colorSpace, width: frame.width, height: frame.height, channels: frame.channels },
      payload: frame.pixels,
    };
  }
  if (frame.encoding !== 'jpeg' && frame.encoding !== 'png')
    invalid(`encoding must be "jpeg", "png" or "raw", got ${String((frame as { encoding: unknown }).encoding)}`);
  if (!(frame.bytes instanceof Uint8Array) || frame.bytes.byteLength === 0) invalid('bytes must be a non-empty Uint8Array');
  const colorSpace = frame.colorSpace ?? 'RGB';
  return { fields: { encoding: frame.encoding, colorSpace, width: frame.width, height: frame.height, channels: 0 }, payload: frame.bytes };
}
