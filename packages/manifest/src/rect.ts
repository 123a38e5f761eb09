import { z } from 'zod';

/**
 * A rectangle in image pixels, top-left origin: `x, y >= 0`, `width, height > 0`,
 * optional `label` and `score` (0..1).
 */
export const rectSchema = z.object({
  x: z.number().min(0),
  y: z.number().min(0),
  width: z.number().positive(),
  height: z.number().positive(),
  label: z.string().optional(),
  score: z.number().min(0).max(1).optional(),
});

/** A rectangle in image pixels (see {@link rectSchema}). */
export type Rect = z.infer<typeof rectSchema>;

/** Why `rect` does not fit inside a `width` x `height` image, or `null` when it does. */
export function rectOutsideImage(rect: Pick<Rect, 'x' | 'y' | 'width' | 'height'>, image: { width: number; height: number }): string | null {
  if (rect.x + rect.width > image.width || rect.y + rect.height > image.height) {
    return `expected a rect inside the ${image.width}x${image.height} image, got x=${rect.x} y=${rect.y} width=${rect.width} height=${rect.height}`;
  }
  return null;
}
