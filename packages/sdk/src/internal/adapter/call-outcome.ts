import { type ErrorCode, ProcVisionError } from '@procvision/manifest';
import { describe } from './algorithm-loader.js';

/** The method-level part of a `result` frame. */
export interface CallOutcome {
  status: 'OK' | 'ERROR';
  message?: string;
  error_code?: ErrorCode | string;
  data?: Record<string, unknown>;
  debug?: Record<string, unknown>;
}

/** An ERROR outcome for a thrown value: the typed error's code, else 9999. */
export function errorOutcome(error: unknown): CallOutcome {
  if (ProcVisionError.isInstance(error)) {
    const outcome: CallOutcome = { status: 'ERROR', message: error.message, error_code: error.code, data: {} };
    if ((error as { recoverable?: unknown }).recoverable === true) outcome.debug = { recoverable: true };
    if ((error as { fatal?: unknown }).fatal === true) outcome.debug = { fatal: true };
    return outcome;
  }
  return { status: 'ERROR', message: describe(error), error_code: '9999', data: {} };
}
