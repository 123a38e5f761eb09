import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, ProcVisionError } from '@procvision/manifest';
import { z } from 'zod';

/** Largest `desired.json` read, and most bindings in one. */
export const desiredStateLimits = { fileBytes: 1024 * 1024, bindings: 10_000 } as const;

/** One desired binding: `pid` runs `name@version`; `zip` names its delivery zip in the repository (required for an https repository). */
export const desiredBindingSchema = z.strictObject({
  pid: z.string().min(1).max(200),
  name: z.string().min(1).max(214),
  version: z.string().min(1).max(100),
  zip: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^/\\]+\.zip$/, 'zip must be a file name ending in .zip, without a folder')
    .optional(),
});

/** `desired.json`: `{"bindings": [{"pid": "A01", "name": "screw-check", "version": "1.2.0"}]}`; each pid at most once. */
export const desiredStateSchema = z.strictObject({
  bindings: z
    .array(desiredBindingSchema)
    .max(desiredStateLimits.bindings)
    .superRefine((bindings, context) => {
      const seen = new Set<string>();
      for (const [index, binding] of bindings.entries()) {
        if (seen.has(binding.pid)) context.addIssue({ code: 'custom', path: [index, 'pid'], message: `pid ${binding.pid} is listed twice` });
        seen.add(binding.pid);
      }
    }),
});

/** One desired binding. */
export type DesiredBinding = z.infer<typeof desiredBindingSchema>;
/** A whole `desired.json`. */
export type DesiredState = z.infer<typeof desiredStateSchema>;

/**
 * Parses the text of a `desired.json`.
 * @throws ProcVisionError 1006 naming `where` and the first bad field
 */
export function parseDesiredState(text: string, where: string): DesiredState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProcVisionError(ErrorCodes.invalidParams, `${where}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = desiredStateSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('') ?? '';
  throw new ProcVisionError(
    ErrorCodes.invalidParams,
    `${where}: ${field === '' ? '' : `bindings${field.replace(/^\.bindings/, '')}: `}${issue?.message ?? 'invalid'}; expected {"bindings": [{"pid": "A01", "name": "screw-check", "version": "1.2.0"}]}`,
  );
}

/**
 * Reads `desired.json` from a file (bounded to {@link desiredStateLimits}).
 * @throws ProcVisionError 1006 for a missing, oversized or invalid file, naming it
 */
export async function readDesiredStateFile(path: string): Promise<DesiredState> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new ProcVisionError(ErrorCodes.invalidParams, `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (bytes.length > desiredStateLimits.fileBytes)
    throw new ProcVisionError(ErrorCodes.invalidParams, `${path}: ${bytes.length} bytes; a desired.json holds at most ${desiredStateLimits.fileBytes}`);
  return parseDesiredState(bytes.toString('utf8'), path);
}

/** The file name of the desired state inside a repository. */
export const desiredStateFile = 'desired.json';

/** `desired.json` inside a repository folder. */
export function desiredStatePath(folder: string): string {
  return join(folder, desiredStateFile);
}
