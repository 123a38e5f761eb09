import { type ErrorCode, ProcVisionError, type ProcVisionErrorOptions, ErrorCodes } from '@procvision/manifest/errors';

/**
 * A bug or broken invariant in the algorithm itself, reported with a clear message instead
 * of a bare exception. Default code 9999; pass `code` for a more precise one (e.g. `ErrorCodes.modelNotFound`
 * when a required asset is missing).
 */
export class ProgramError extends ProcVisionError {
  /** Cross-copy brand: `ProgramError.isInstance` accepts only ProgramErrors (see `ProcVisionError.isInstance`). */
  static override readonly brand = 'ProgramError';
  constructor(message: string, options: ProcVisionErrorOptions & { code?: ErrorCode } = {}) {
    super(options.code ?? ErrorCodes.unknownError, message, options);
    this.name = 'ProgramError';
  }
}
