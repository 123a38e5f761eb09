import { UsageError } from '../usage-error.js';

/** How the CLI reads a file the user named with a flag. */
interface CallerPathOptions {
  /** The flag (`--image`, `--token-file`). */
  field: string;
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** What to do instead, appended to the reason (`pass a JPEG or PNG file`). */
  hint: string;
  /** A command line that shows the right usage. */
  example: string;
}

/**
 * Turns a refusal of the runner's shared caller-file reader (missing, not a regular file,
 * too large) into a UsageError (exit 2) that names the flag, the path and its kind.
 */
async function asUsage<Result>(options: CallerPathOptions, work: () => Promise<Result>): Promise<Result> {
  const { CallerFileError } = await import('@procvision/runner');
  try {
    return await work();
  } catch (error) {
    if (CallerFileError.isCallerFileError(error))
      throw new UsageError(`${error.message}; ${options.hint}.`, { example: options.example, code: error.code, cause: error });
    throw error;
  }
}

/**
 * Reads a file named by a flag through the runner's caller-file reader: a regular file only
 * (a FIFO, device, socket or folder is named as such, never opened in a way that blocks), at
 * most `maxBytes`. Any refusal is a UsageError (exit 2).
 */
export async function readCallerPath(path: string, options: CallerPathOptions): Promise<Buffer> {
  const { readCallerFile } = await import('@procvision/runner');
  return asUsage(options, () => readCallerFile(path, { field: options.field, maxBytes: options.maxBytes }));
}

/** Checks a file named by a flag as {@link readCallerPath} does, without reading it (zips). */
export async function checkCallerPath(path: string, options: CallerPathOptions): Promise<string> {
  const { checkCallerFile } = await import('@procvision/runner');
  return asUsage(options, async () => (await checkCallerFile(path, { field: options.field, maxBytes: options.maxBytes })).realPath);
}
