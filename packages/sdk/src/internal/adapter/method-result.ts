import type { ErrorKind } from '@procvision/manifest';
import { type ErrorCode, ProcVisionError, ErrorCodes } from '@procvision/manifest/errors';
import { describe } from './algorithm-loader.js';

/** The method-level part of a `result` frame. */
export interface MethodResult {
  status: 'OK' | 'ERROR';
  message?: string;
  error_code?: ErrorCode;
  data?: Record<string, unknown>;
  debug?: Record<string, unknown>;
  /**
   * Set for typed SDK errors the runner treats specially: `recoverable` (RecoverableError:
   * may retry) and `fatal` (FatalError: restart the process, no retry). Sent as the result
   * frame's `error_kind` field (an extra field: receivers ignore unknown fields).
   */
  error_kind?: ErrorKind;
}

/** An ERROR outcome for a thrown value: the typed error's code, else 9999. */
export function errorResult(error: unknown): MethodResult {
  if (ProcVisionError.isInstance(error)) {
    const outcome: MethodResult = { status: 'ERROR', message: error.message, error_code: error.code, data: {} };
    if ((error as { recoverable?: unknown }).recoverable === true) outcome.error_kind = 'recoverable';
    if ((error as { fatal?: unknown }).fatal === true) outcome.error_kind = 'fatal';
    return outcome;
  }
  return { status: 'ERROR', message: describe(error), error_code: ErrorCodes.unknownError, data: {} };
}
