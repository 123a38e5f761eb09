import type { ErrorCode } from '@procvision/manifest/errors';

const marker = Symbol.for('procvision.cli.usage-error');

/** Options of a {@link UsageError}. */
export interface UsageErrorOptions {
  /** A command line that shows the right usage, printed after the reason. */
  example?: string;
  /** An error code of the error table when one applies (e.g. `1006` for bad --params). */
  code?: ErrorCode;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * Bad usage or bad input: a missing manifest, an unreadable image, invalid `--params` JSON.
 * The CLI prints its one-line message and example and exits with code 2.
 */
export class UsageError extends Error {
  /** A command line that shows the right usage. */
  readonly example: string | undefined;
  /** An error code of the error table, when one applies. */
  readonly code: ErrorCode | undefined;
  private readonly [marker] = true;

  constructor(message: string, options: UsageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UsageError';
    this.example = options.example;
    this.code = options.code;
  }

  /** True for a UsageError from any copy of this package. */
  static isInstance(value: unknown): value is UsageError {
    return typeof value === 'object' && value !== null && marker in value;
  }
}
