import type { IncomingMessage } from 'node:http';
import { ErrorCodes, ProcVisionError } from '@procvision/manifest';
import { HttpError } from './http-error.js';
import { hasBody, mediaType, readBodyBytes, readJsonBody } from './read-body.js';
import { executeRequestSchema, parseRequest, stepRequestSchema } from './request-schemas.js';
import type { ServiceContext } from './service-context.js';
import type { StepInput } from './step-request.js';

/** Media types a step body may have besides JSON: the image itself. */
export const imageBodyTypes: readonly string[] = ['image/jpeg', 'image/png', 'application/octet-stream'];

/** Step fields a request with the image as its body names in the query or in `X-ProcVision-*` headers. */
const jsonFields = ['user_params', 'context', 'guide_info'] as const;
const numberFields = ['step_index', 'width', 'height', 'timestamp_ms'] as const;
const textFields = ['pid', 'step_desc', 'format', 'camera_id'] as const;
const metaKeys = new Set(['width', 'height', 'timestamp_ms', 'camera_id', 'format']);

/** `X-ProcVision-Step-Index` for `step_index`. */
export function fieldHeader(field: string): string {
  return `x-procvision-${field.replaceAll('_', '-')}`;
}

/** Where a step field came from, for messages: `image_meta.width` is `width` in the query. */
export function queryFieldName(path: string): string {
  return path.startsWith('image_meta.') ? path.slice('image_meta.'.length) : path;
}

/**
 * The step fields of a request whose body is the image: from the query, else the
 * `X-ProcVision-<Field>` header. JSON fields (`user_params`, `context`, `guide_info`) are JSON
 * text; numbers are decimal. An unknown query parameter is refused (a typo must not pass).
 */
function fieldsFromQuery(query: URLSearchParams, request: IncomingMessage, oneShot: boolean): Record<string, unknown> {
  const known = new Set<string>([...jsonFields, ...numberFields, ...textFields]);
  if (!oneShot) known.delete('pid');
  if (!oneShot) known.delete('context');
  for (const key of query.keys())
    if (!known.has(key))
      throw new ProcVisionError(ErrorCodes.invalidParams, `unknown query parameter ${JSON.stringify(key)}; step fields are ${[...known].join(', ')}`, {
        details: { field: key },
      });
  const body: Record<string, unknown> = {};
  const meta: Record<string, unknown> = {};
  for (const field of known) {
    const header = request.headers[fieldHeader(field)];
    const text = query.get(field) ?? (Array.isArray(header) ? header[0] : header);
    if (text === undefined) continue;
    let value: unknown = text;
    if ((jsonFields as readonly string[]).includes(field)) {
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new ProcVisionError(ErrorCodes.invalidParams, `${field}: not valid JSON (${(error as Error).message})`, { details: { field } });
      }
    } else if ((numberFields as readonly string[]).includes(field) && /^-?\d+(\.\d+)?$/.test(text)) value = Number(text);
    if (metaKeys.has(field)) meta[field] = value;
    else body[field] = value;
  }
  if (Object.keys(meta).length > 0) body['image_meta'] = meta;
  return body;
}

/**
 * Reads a step request (`POST /sessions/:id/steps`, or `POST /execute` when `oneShot`) in any of
 * its forms: a JSON body (image as Base64 or `{path}`), or the image as the body (`image/jpeg`,
 * `image/png`, raw pixels as `application/octet-stream`) with the other fields in the query or
 * headers. Everything is checked before a frame is written.
 * @throws HttpError 415 for another media type, 413 over the body limit; ProcVisionError 1006 naming the field
 */
export async function readStepBody(
  request: IncomingMessage,
  query: URLSearchParams,
  context: ServiceContext,
  oneShot: boolean,
): Promise<{ body: StepInput & { pid?: string; context?: Record<string, unknown> }; fromQuery: boolean }> {
  const type = mediaType(request);
  const schema = oneShot ? executeRequestSchema : stepRequestSchema;
  if (type === 'application/json' || (type === '' && !hasBody(request))) {
    const body = parseRequest(
      schema,
      await readJsonBody(request, context.limits.jsonBytes, context.limits.maxJsonDepth),
      oneShot ? 'execute request' : 'step request',
    );
    return { body, fromQuery: false };
  }
  if (!imageBodyTypes.includes(type)) {
    throw new HttpError(
      'unsupported_media_type',
      `expected Content-Type application/json, ${imageBodyTypes.join(', ')}; got ${type === '' ? 'a body without Content-Type' : type}`,
    );
  }
  const fields = parseRequest(
    schema.omit({ image: true, guide_image: true }),
    fieldsFromQuery(query, request, oneShot),
    oneShot ? 'execute request' : 'step request',
    queryFieldName,
  );
  const bytes = await readBodyBytes(request, context.limits.jsonBytes, 'the image body');
  if (bytes.byteLength === 0) throw new ProcVisionError(ErrorCodes.invalidParams, `image: the ${type} body is empty`, { details: { field: 'image' } });
  return { body: { ...fields, image: { bytes, mediaType: type } }, fromQuery: true };
}
