import { type ErrorCode, errorCodes } from './error-codes.js';

const marker = Symbol.for('procvision.error');

/** The wire form of a {@link ProcVisionError}. */
export interface ProcVisionErrorJson {
  name: string;
  code: ErrorCode;
  codeName: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Options for {@link ProcVisionError}. */
export interface ProcVisionErrorOptions {
  /** The underlying error, kept for `--debug` output and logs. */
  cause?: unknown;
  /** Machine-readable context: the field, file or key at fault, and what was expected. */
  details?: Record<string, unknown>;
}

/**
 * The base of every ProcVision error: a code from the error table, a message that says
 * what happened, where and what to do, an optional cause and details.
 *
 * Checks use {@link ProcVisionError.isInstance}, which works across two copies of this
 * package (a runner and an algorithm may load different copies).
 */
export class ProcVisionError extends Error {
  private readonly [marker] = true;
  /** The error code, as it travels on the wire (`"1006"`). */
  readonly code: ErrorCode;
  /** Machine-readable context (field, file, expected value). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: ProcVisionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProcVisionError';
    this.code = code;
    this.details = options.details;
  }

  /** The symbolic name of {@link ProcVisionError.code}, e.g. `"invalid_params"`. */
  get codeName(): string {
    return errorCodes[this.code].name;
  }

  /** True for any ProcVision error, from this copy of the package or another. */
  static isInstance(error: unknown): error is ProcVisionError {
    return typeof error === 'object' && error !== null && marker in error && (error as Record<symbol, unknown>)[marker] === true;
  }

  /** The JSON form sent on the wire and printed by `--json`. */
  toJSON(): ProcVisionErrorJson {
    return {
      name: this.name,
      code: this.code,
      codeName: this.codeName,
      message: this.message,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}
