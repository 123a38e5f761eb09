import type { z } from 'zod';
import type { executeRequestSchema, stepRequestSchema } from '../http/request-schemas.js';

type JsonStep = z.input<typeof stepRequestSchema>;
type JsonExecute = z.input<typeof executeRequestSchema>;

/**
 * A step whose image is bytes: sent as the request body (`image/jpeg`, `image/png`, or raw
 * pixels as `application/octet-stream` when `image_meta.format` is given), the other fields in
 * the query; no Base64. A guide image as bytes goes in the JSON form (Base64).
 */
type BytesImage<Request> = Omit<Request, 'image' | 'guide_image'> & { image: Uint8Array; guide_image?: Uint8Array | JsonStep['image'] };

/** The body of a step as a client writes it (`POST /sessions/{id}/steps`): the image as bytes, Base64 or `{path}`. */
export type ClientStepRequest = JsonStep | BytesImage<JsonStep>;

/** The body of a one-shot step as a client writes it (`POST /execute`). */
export type ClientExecuteRequest = JsonExecute | BytesImage<JsonExecute>;
