import { z } from 'zod';
import { rectSchema } from './rect.js';

/** An expected verdict of a golden-set image: `OK` or `NG`. */
export const expectedVerdictSchema = z.enum(['OK', 'NG']);

/**
 * One entry of `labels.json`: the expected verdict alone (`"NG"`), or an object with the
 * verdict and, optionally, the defect rects the algorithm should find (matched by IoU).
 */
export const goldenLabelSchema = z.union([
  expectedVerdictSchema,
  z.object({ verdict: expectedVerdictSchema, defect_rects: z.array(rectSchema).max(1000).optional() }).strict(),
]);

/**
 * `labels.json` of a golden set (`procvision eval`): image file names, relative to the folder
 * that holds `labels.json` and without `..`, mapped to their expected verdict (at most 100,000).
 */
export const goldenLabelsSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(1024)
      .refine((name) => !name.split(/[\\/]/).includes('..') && !name.startsWith('/'), 'an image path inside the golden-set folder'),
    goldenLabelSchema,
  )
  .refine((labels) => Object.keys(labels).length <= 100_000, 'at most 100000 images');

/** One entry of `labels.json` (see {@link goldenLabelSchema}). */
export type GoldenLabel = z.infer<typeof goldenLabelSchema>;
/** `labels.json` of a golden set (see {@link goldenLabelsSchema}). */
export type GoldenLabels = z.infer<typeof goldenLabelsSchema>;
