import { type ErrorCode, ProcVisionError, type ProcVisionErrorOptions, ErrorCodes } from '@procvision/manifest/errors';

/**
 * A failure that may go away when the call is tried again (a camera glitch, a busy device).
 * The runner retries the call up to `max_retries` times. Default code 9999.
 *
 * @example
 * ```ts
 * throw new RecoverableError('light controller did not answer, retry');
 * ```
 */
export class RecoverableError extends ProcVisionError {
  /** Cross-copy brand: `RecoverableError.isInstance` accepts only RecoverableErrors (see `ProcVisionError.isInstance`). */
  static override readonly brand = 'RecoverableError';
  /** Always true: the runner may retry a call that failed with this error. */
  readonly recoverable = true;

  constructor(message: string, options: ProcVisionErrorOptions & { code?: ErrorCode } = {}) {
    super(options.code ?? ErrorCodes.unknownError, message, options);
    this.name = 'RecoverableError';
  }
}
