import { ProcVisionError, type ErrorCode } from '@procvision/manifest';

/** A ProcVisionError about one entry (or the zip as a whole), with the zip and entry in `details`. */
export function zipError(code: ErrorCode, zipPath: string, entry: string | null, message: string, cause?: unknown): ProcVisionError {
  const where = entry === null ? `${zipPath}` : `${zipPath}: entry "${entry}"`;
  return new ProcVisionError(code, `${where}: ${message}`, {
    cause,
    details: { zip: zipPath, ...(entry === null ? {} : { entry }) },
  });
}
