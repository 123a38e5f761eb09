import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { bodyBudgetOf } from './body-budget.js';
import { HttpError } from './http-error.js';
import { assertJsonDepth } from './json-limits.js';
import { defaultServiceLimits } from './service-limits.js';

/** The media type of a request, lower-cased, without parameters (`application/json`). */
export function mediaType(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function tooLarge(what: string, limit: number): HttpError {
  return new HttpError('payload_too_large', `${what} is larger than the limit of ${limit} bytes; send a smaller body or raise the service's limit`, {
    details: { limit },
    headers: { connection: 'close' },
  });
}

/** Refuses a body whose declared Content-Length is over `limit` before reading a byte. */
function checkDeclaredLength(request: IncomingMessage, limit: number, what: string): void {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(what, limit);
}

/** A pass-through stream that fails once more than `limit` bytes went through it. */
function byteLimit(limit: number, what: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.byteLength;
      callback(seen > limit ? tooLarge(what, limit) : null, chunk);
    },
  });
}

/**
 * Reads the whole body into memory, at most `limit` bytes (413 beyond), under the service's
 * body budget (503 beyond). A declared Content-Length is reserved up front (before a byte is
 * read); a chunked body reserves as it arrives.
 */
export async function readBodyBytes(request: IncomingMessage, limit: number, what = 'the request body'): Promise<Buffer> {
  checkDeclaredLength(request, limit, what);
  const budget = bodyBudgetOf(request);
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared >= 0) budget?.reserve(request, declared);
  const chunks: Buffer[] = [];
  let seen = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    seen += chunk.byteLength;
    if (seen > limit) throw tooLarge(what, limit);
    if (!Number.isFinite(declared)) budget?.reserve(request, chunk.byteLength);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads a JSON object body (Content-Type `application/json`), at most `limit` bytes, nested
 * at most `maxDepth` levels (checked on the text, before parsing). An empty body reads as `{}`.
 * @throws HttpError 415 for another media type or a body without Content-Type, 413 beyond the limit;
 *   ProcVisionError 1006 for invalid JSON or a non-object, 3007 nested too deep
 */
export async function readJsonBody(request: IncomingMessage, limit: number, maxDepth = defaultServiceLimits.maxJsonDepth): Promise<Record<string, unknown>> {
  const type = mediaType(request);
  if (type === '' ? hasBody(request) : type !== 'application/json') {
    throw new HttpError('unsupported_media_type', `expected Content-Type application/json, got ${type === '' ? 'a body without Content-Type' : type}`);
  }
  let bytes: Buffer | undefined = await readBodyBytes(request, limit, 'the JSON body');
  if (bytes.byteLength === 0) return {};
  const text = bytes.toString('utf8');
  bytes = undefined; // the text is the one copy kept while parsing
  assertJsonDepth(text, maxDepth);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProcVisionError(ErrorCodes.invalidParams, `the request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProcVisionError(ErrorCodes.invalidParams, 'the request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** True when the request announces a body (a non-zero Content-Length, or chunked transfer). */
export function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return request.headers['transfer-encoding'] !== undefined;
}

/** Streams the body into a new file at `path` (created exclusively), at most `limit` bytes. */
export async function writeBodyToFile(request: IncomingMessage, path: string, limit: number, what = 'the uploaded zip'): Promise<void> {
  checkDeclaredLength(request, limit, what);
  await pipeline(request, byteLimit(limit, what), createWriteStream(path, { flags: 'wx' }));
}
