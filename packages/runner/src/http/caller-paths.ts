import { ErrorCodes } from '@procvision/manifest';
import { checkCallerFile, readCallerFile } from '../caller-file/read-caller-file.js';
import type { ServiceContext } from './service-context.js';

/**
 * Reads an image a caller named by path (`image.path`): inside the allowed roots, a regular
 * file, non-blocking, at most the JSON body limit (a Base64 image could not be larger).
 * @throws CallerFileError 3003/3004/3005, 1002 when missing or unreadable
 */
export function readImagePath(context: ServiceContext, path: string, field: string): Promise<Buffer> {
  return context.fileReads.run(() =>
    readCallerFile(path, { field, maxBytes: context.limits.jsonBytes, allowedRoots: context.allowedRoots, unreadableCode: ErrorCodes.imageLoadFailed }),
  );
}

/**
 * Checks a delivery zip a caller named by path (`POST /packages`, `POST /validate`) as
 * {@link readImagePath} does, at most the zip upload limit; resolves with its real path.
 */
export async function checkZipPath(context: ServiceContext, path: string): Promise<string> {
  return (
    await context.fileReads.run(() =>
      checkCallerFile(path, { field: 'path', maxBytes: context.limits.zipBytes, allowedRoots: context.allowedRoots, unreadableCode: ErrorCodes.invalidZip }),
    )
  ).realPath;
}
