import { type ErrorCode, ProcVisionError } from '@procvision/manifest';
import type { FileKind } from './file-kind.js';

/** Why a path a caller named was refused. */
export type CallerFileProblem = 'missing' | 'unreadable' | 'not_regular' | 'too_large' | 'not_allowed';

/**
 * A path a caller named (an HTTP body, a CLI flag) that the runner refused to read: missing,
 * unreadable, not a regular file, over the size limit or outside the allowed roots. The
 * message names the field and the path as the caller gave it, never the file's bytes.
 */
export class CallerFileError extends ProcVisionError {
  /** What was wrong. */
  readonly problem: CallerFileProblem;
  /** The kind the path names, for `not_regular`. */
  readonly kind: FileKind | undefined;

  constructor(code: ErrorCode, problem: CallerFileProblem, message: string, details: { field: string; kind?: FileKind; limit?: number }) {
    super(code, message, { details: { ...details, problem } });
    this.name = 'CallerFileError';
    this.problem = problem;
    this.kind = details.kind;
  }

  /** True for a CallerFileError (also from another copy of this package). */
  static isCallerFileError(value: unknown): value is CallerFileError {
    return (
      ProcVisionError.isInstance(value) &&
      typeof (value as { problem?: unknown }).problem === 'string' &&
      (value as { name?: unknown }).name === 'CallerFileError'
    );
  }
}
