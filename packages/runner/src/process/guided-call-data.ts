import { imageMetaSchema } from '@procvision/manifest';
import { z } from 'zod';

/**
 * `call.data` of a Python v0.3 adapter (its execute-only call shape): one call per step with
 * the step's description, guide info, and two frames, the current image and the guide image.
 * `phase: "execute"` is sent too (v0.3 ignores it; it names the call in the runner's events).
 */
export const guidedExecuteCallDataSchema = z.object({
  phase: z.literal('execute'),
  step_index: z.number().int().min(1),
  step_desc: z.string(),
  guide_info: z.unknown(),
  cur_image_shm_id: z.string().min(1),
  cur_image_meta: imageMetaSchema,
  guide_image_shm_id: z.string().min(1),
  guide_image_meta: imageMetaSchema,
});

/** `call.data` of a Python v0.3 adapter (see {@link guidedExecuteCallDataSchema}). */
export type GuidedExecuteCallData = z.infer<typeof guidedExecuteCallDataSchema>;
