import { readFile } from 'node:fs/promises';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import writeFileAtomic from 'write-file-atomic';
import type { z } from 'zod';

/**
 * Reads and validates a store JSON file; `fallback` when it does not exist.
 * @throws ProcVisionError 2005 naming the file and field when it is not valid
 */
export async function readJsonFile<Schema extends z.ZodType>(path: string, schema: Schema, fallback: z.infer<Schema>): Promise<z.infer<Schema>> {
  const value = await readJsonFileIfExists(path, schema);
  return value === undefined ? fallback : value;
}

/**
 * Reads and validates a store JSON file; undefined when it does not exist.
 * @throws ProcVisionError 2005 naming the file and field when it is not valid
 */
export async function readJsonFileIfExists<Schema extends z.ZodType>(path: string, schema: Schema): Promise<z.infer<Schema> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ProcVisionError(ErrorCodes.installFailed, `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProcVisionError(ErrorCodes.installFailed, `${path} is not valid JSON (${(error as Error).message}); restore it from a backup`, { cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new ProcVisionError(ErrorCodes.installFailed, `${path} is not a valid store file: ${problems}`);
  }
  return parsed.data;
}

/** Writes a store JSON file by write-temp + fsync + rename, so a crash leaves the old or the new file. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, { fsync: true });
}
