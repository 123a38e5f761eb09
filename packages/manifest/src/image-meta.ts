import { z } from 'zod';

/** Pixel order of a frame: `RGB` (default), `BGR` or `GRAY`. */
export const colorSpaceSchema = z.enum(['RGB', 'BGR', 'GRAY']);

/** Pixel order of a frame. */
export type ColorSpace = z.infer<typeof colorSpaceSchema>;

/** `image_meta` of a call: frame size, capture time, camera, optional colour space. */
export const imageMetaSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  timestamp_ms: z.number().int().min(0),
  camera_id: z.string(),
  color_space: colorSpaceSchema.optional(),
});

/** `image_meta` of a call (see {@link imageMetaSchema}). */
export type ImageMeta = z.infer<typeof imageMetaSchema>;
