import { type ErrorCode, ProcVisionError, type ProcVisionErrorOptions, ErrorCodes } from '@procvision/manifest/errors';

/**
 * A failure the algorithm cannot recover from in this process (a corrupt model in memory,
 * a lost device). The runner fails the call without retrying and restarts the process.
 * Default code 9999.
 */
export class FatalError extends ProcVisionError {
  /** Cross-copy brand: `FatalError.isInstance` accepts only FatalErrors (see `ProcVisionError.isInstance`). */
  static override readonly brand = 'FatalError';
  /** Always true: the runner restarts the process after this error. */
  readonly fatal = true;

  constructor(message: string, options: ProcVisionErrorOptions & { code?: ErrorCode } = {}) {
    super(options.code ?? ErrorCodes.unknownError, message, options);
    this.name = 'FatalError';
  }
}
