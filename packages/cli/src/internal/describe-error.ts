import { ProcVisionError } from '@procvision/manifest';

/** What the CLI prints about an unexpected error: message, error-table code, stack. */
interface DescribedError {
  message: string;
  code?: string;
  stack?: string;
}

/** Turns any thrown value into a printable {@link DescribedError}. */
export function describeError(error: unknown): DescribedError {
  if (ProcVisionError.isInstance(error)) {
    return { message: error.message, code: error.code, ...(error.stack === undefined ? {} : { stack: error.stack }) };
  }
  if (error instanceof Error) return { message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) };
  return { message: String(error) };
}
