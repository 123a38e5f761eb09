import { encodeFrame } from '@procvision/manifest/framing';
import type { Logger } from '../../logger.js';
import { describe } from './algorithm-loader.js';

/**
 * Encodes a result frame; one above max_frame_bytes becomes an ERROR result that says so
 * (the runner gets exactly one answer, never a broken frame).
 */
export function encodeResult(result: Record<string, unknown>, logger: Logger): Buffer {
  try {
    return encodeFrame(result);
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
