/**
 * The three exit codes of every `procvision` command: 0 success, 1 the check or run failed,
 * 2 bad usage or bad input.
 */
export const ExitCodes = {
  success: 0,
  failure: 1,
  usage: 2,
} as const;

/** One of {@link ExitCodes}. */
export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];
