import { ErrorCodes, ProcVisionError } from '@procvision/manifest';

/** Which disk a write failed on: the package store, the service's upload folder, or the temporary folder. */
export type DiskRole = 'store' | 'uploads' | 'temp';

/** errno codes of a disk condition (the station's, never the caller's): full, over quota, file too large, read-only. */
const diskErrnos: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the filesystem or the process file size limit',
  EROFS: 'the filesystem is read-only',
};

/** The disk errno (`ENOSPC`...) of an error or of one of its causes; undefined when it is no disk condition. */
export function diskErrno(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code in diskErrnos) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether an error is a disk condition already named with its role ({@link asDiskCondition}). */
export function isDiskCondition(error: unknown): error is ProcVisionError {
  return ProcVisionError.isInstance(error) && typeof error.details?.disk_role === 'string';
}

/**
 * A disk condition as the station reports it: code 2005 (`install_failed`), the role of the disk
 * and the errno in its message and details (`disk_role`, `errno`); the service answers it 507.
 * Any other error is returned unchanged.
 */
export function asDiskCondition(error: unknown, role: DiskRole, where: string): unknown {
  const errno = diskErrno(error);
  if (errno === undefined || isDiskCondition(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProcVisionError(
    ErrorCodes.installFailed,
    `the ${role} disk (${where}) refused a write: ${errno}, ${diskErrnos[errno] ?? ''}; free space there and try again (${message})`,
    { cause: error, details: { disk_role: role, errno, where } },
  );
}

/** Runs `work`; a disk condition it throws becomes {@link asDiskCondition}'s error naming `role`. */
export async function onDisk<Result>(role: DiskRole, where: string, work: () => Promise<Result>): Promise<Result> {
  try {
    return await work();
  } catch (error) {
    throw asDiskCondition(error, role, where);
  }
}
