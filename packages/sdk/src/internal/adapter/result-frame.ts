import { encodeFrame, encodeFrameInto } from '@procvision/manifest/framing';
import type { Logger } from '../../logger.js';
import { describe } from './algorithm-loader.js';
import { ErrorCodes } from '@procvision/manifest/errors';

/** Size of the buffer most result frames are encoded into (one per thread, reused). */
const reusedBytes = 64 * 1024;
let reused: Buffer | undefined;

/**
 * Encodes a result frame; one above max_frame_bytes becomes an ERROR result that says so
 * (the runner gets exactly one answer, never a broken frame). A frame of up to ~21 KB of JSON
 * (every common result) is written into one reused buffer, so the bytes returned are valid
 * only until the next call: write them at once.
 */
export function encodeResult(result: Record<string, unknown>, logger: Logger): Uint8Array {
  try {
    reused ??= Buffer.allocUnsafe(reusedBytes);
    return encodeFrameInto(result, reused);
  } catch (error) {
    logger.error('result frame not sent', { request_id: result.request_id, reason: describe(error) });
    const { type, request_id, data } = result as { type: string; request_id: string; data: Record<string, unknown> };
    const message = `result too large to send: ${describe(error)}`;
    return encodeFrame({
      type,
      request_id,
      timestamp_ms: Date.now(),
      status: 'ERROR',
      error_code: ErrorCodes.unknownError,
      message,
      data: { phase: data.phase, step_index: data.step_index },
      latency_ms: result.latency_ms,
    });
  }
}
