import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { z } from 'zod';

const pid = z.string().min(1, 'a product id (pid) is required');
const jsonObject = z.record(z.string(), z.unknown());

/** `image`: Base64 of a JPEG or PNG (a `data:` URL prefix is accepted), or `{path}` of a file on the runner's machine. */
export const imageInputSchema = z.union([z.string().min(1, 'image is empty'), z.object({ path: z.string().min(1) }).strict()]);

/** Pixel formats of raw frames: 1 byte per pixel (GRAY8) or 3 (RGB8, BGR8 in that byte order). */
export const rawFormatNames = ['GRAY8', 'RGB8', 'BGR8'] as const;

/** `image_meta` a client may send: overrides of the frame's camera id and timestamp; width/height must match the image. */
export const imageMetaInputSchema = z
  .object({
    width: z.int().positive().optional(),
    height: z.int().positive().optional(),
    timestamp_ms: z.number().nonnegative().optional(),
    camera_id: z.string().min(1).optional(),
    /** Raw pixels (8-bit, row-major, no padding): the image bytes are the frame itself, `width` and `height` required. */
    format: z.enum(rawFormatNames).optional(),
  })
  .strict();

/** Body of `POST /sessions`. */
export const createSessionSchema = z.object({ pid, context: jsonObject.optional() });

/**
 * Body of `POST /sessions/:id/steps`. `guide_image`, `guide_image_meta`, `guide_info` and
 * `step_desc` feed a Python v0.3 algorithm's execute (other generations ignore them, with a warning).
 */
export const stepRequestSchema = z.object({
  step_index: z.int().positive(),
  image: imageInputSchema,
  image_meta: imageMetaInputSchema.optional(),
  user_params: jsonObject.optional(),
  guide_image: imageInputSchema.optional(),
  guide_image_meta: imageMetaInputSchema.optional(),
  guide_info: z.unknown().optional(),
  step_desc: z.string().max(4096, 'step_desc is longer than 4096 characters').optional(),
});

/** Body of `POST /execute`: a one-shot session of one step. */
export const executeRequestSchema = stepRequestSchema.extend({ pid, context: jsonObject.optional() });

/** Body of `POST /packages/:name/:version/activate`. */
export const activateRequestSchema = z.object({ pids: z.array(pid).min(1, 'pids must name at least one product id') });

/** Body of `POST /switch`: activate a version over the pids' current binding. */
export const switchRequestSchema = z.object({ name: z.string().min(1), version: z.string().min(1), pids: activateRequestSchema.shape.pids });

/** Body of `POST /rollback`: re-activate the previous version recorded for each pid. */
export const rollbackRequestSchema = z.object({ name: z.string().min(1), pids: activateRequestSchema.shape.pids });

/** Body of `POST /deactivate`: unbind pids bound to `name@version` (undo of a first activation). */
export const deactivateRequestSchema = switchRequestSchema;

const bindingRefSchema = z.object({ name: z.string().min(1), version: z.string().min(1) }).strict();

/**
 * Body of `POST /restore`: undo an activation of `name@version`, giving each pid back the exact
 * binding it had (`null`: none). At most 1000 pids.
 */
export const restoreRequestSchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  bindings: z
    .record(
      pid,
      bindingRefSchema
        .extend({ activated_at: z.string().max(64), previous: bindingRefSchema.nullable() })
        .strict()
        .nullable(),
    )
    .refine((record) => Object.keys(record).length > 0 && Object.keys(record).length <= 1000, 'bindings must name 1 to 1000 pids'),
});

/** JSON body of `POST /packages` and `POST /validate`: a zip already on the runner's machine. */
export const zipPathRequestSchema = z.object({ path: z.string().min(1, 'path of a delivery zip is required') });

/** A step request body (see {@link stepRequestSchema}). */
export type StepRequestBody = z.infer<typeof stepRequestSchema>;
/** An image input (see {@link imageInputSchema}). */
export type ImageInput = z.infer<typeof imageInputSchema>;
/** An image meta input (see {@link imageMetaInputSchema}). */
export type ImageMetaInput = z.infer<typeof imageMetaInputSchema>;

/**
 * Validates a request body against its schema (`fieldName` renames a field path in the messages,
 * for fields that came from the query or headers).
 * @throws ProcVisionError 1006 naming each bad field (`details.issues`)
 */
export function parseRequest<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
  what: string,
  fieldName: (path: string) => string = (path) => path,
): z.infer<Schema> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: fieldName(issue.path.join('.')), message: issue.message }));
  const list = issues.map((issue) => `${issue.path === '' ? '(body)' : issue.path}: ${issue.message}`).join('; ');
  throw new ProcVisionError(ErrorCodes.invalidParams, `invalid ${what}: ${list}`, { details: { issues } });
}
