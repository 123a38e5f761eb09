import { DEFAULT_MAX_FRAME_BYTES, encodeFrame } from '@procvision/manifest/framing';
import type { Logger } from '../../logger.js';
import { describe } from './algorithm-loader.js';

/** Size of the buffer most result frames are encoded into (one per thread, reused). */
const reusedBytes = 64 * 1024;
/** Longest JSON text (UTF-16 units, at most 3 UTF-8 bytes each) that surely fits in it. */
const reusedJsonLength = Math.floor((reusedBytes - 4) / 3);
let reused: Buffer | undefined;

/**
 * Encodes a result frame; one above max_frame_bytes becomes an ERROR result that says so
 * (the runner gets exactly one answer, never a broken frame). A frame of up to ~21 KB of JSON
 * (every common result) is written into one reused buffer, so the bytes returned are valid
 * only until the next call: write them at once.
 */
export function encodeResult(result: Record<string, unknown>, logger: Logger): Uint8Array {
  try {
    return encodeInto(result);
  } catch (error) {
    logger.error('result frame not sent', { request_id: result.request_id, reason: describe(error) });
    const { type, request_id, data } = result as { type: string; request_id: string; data: Record<string, unknown> };
    const message = `result too large to send: ${describe(error)}`;
    return encodeFrame({
      type,
      request_id,
      timestamp_ms: Date.now(),
      status: 'ERROR',
      error_code: '9999',
      message,
      data: { phase: data.phase, step_index: data.step_index },
      latency_ms: result.latency_ms,
    });
  }
}

/**
 * The frame layout of `encodeFrame` (4-byte big-endian length, UTF-8 JSON), with no allocation
 * and no separate length pass for a small frame; a large one gets its own buffer, and one above
 * max_frame_bytes is left to `encodeFrame`, which throws its RangeError.
 */
function encodeInto(message: object): Uint8Array {
  const json = JSON.stringify(message);
  if (json.length <= reusedJsonLength) {
    reused ??= Buffer.allocUnsafe(reusedBytes);
    const length = reused.write(json, 4, 'utf8');
    reused.writeUInt32BE(length, 0);
    return reused.subarray(0, 4 + length);
  }
  const length = Buffer.byteLength(json, 'utf8');
  if (length > DEFAULT_MAX_FRAME_BYTES) return encodeFrame(message);
  const frame = Buffer.allocUnsafe(4 + length);
  frame.writeUInt32BE(length, 0);
  frame.write(json, 4, 'utf8');
  return frame;
}
