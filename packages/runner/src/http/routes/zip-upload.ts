import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkZipPath } from '../caller-paths.js';
import { HttpError } from '../http-error.js';
import { mediaType, readJsonBody, writeBodyToFile } from '../read-body.js';
import { parseRequest, zipPathRequestSchema } from '../request-schemas.js';
import type { ServiceContext } from '../service-context.js';
import { onDisk } from '../../internal/disk-condition.js';

const zipMediaTypes = new Set(['application/zip', 'application/x-zip-compressed', 'application/octet-stream']);

/**
 * Hands `use` the path of the request's delivery zip: the uploaded bytes (Content-Type
 * `application/zip` or `application/octet-stream`, streamed to a private file that is removed
 * afterwards), or the `path` of a JSON body naming a zip on the runner's machine.
 */
export async function withRequestZip<Result>(
  context: ServiceContext,
  request: IncomingMessage,
  use: (zipPath: string, uploaded: boolean) => Promise<Result>,
): Promise<Result> {
  const type = mediaType(request);
  if (type === 'application/json') {
    const body = parseRequest(zipPathRequestSchema, await readJsonBody(request, context.limits.jsonBytes, context.limits.maxJsonDepth), 'zip request');
    return use(await checkZipPath(context, body.path), false);
  }
  if (!zipMediaTypes.has(type)) {
    throw new HttpError(
      'unsupported_media_type',
      `send the zip bytes as application/zip (or application/octet-stream), or JSON {"path": "<zip on the runner's machine>"}; got ${type === '' ? 'no Content-Type' : type}`,
    );
  }
  const path = join(context.uploadDirectory, `upload-${randomUUID()}.zip`);
  try {
    await onDisk('uploads', '<upload>', () => writeBodyToFile(request, path, context.limits.zipBytes));
    return await use(path, true);
  } finally {
    await rm(path, { force: true });
  }
}
