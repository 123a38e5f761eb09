import { z } from 'zod';
import { paramSpecSchema } from './param-spec.js';

/** One inspection step: `index` (from 1), `name`, optional `description`, its `params` (unique keys). */
export const stepSpecSchema = z
  .object({
    index: z.number().int().min(1),
    name: z.string().min(1),
    description: z.string().optional(),
    params: z.array(paramSpecSchema).default([]),
  })
  .superRefine((step, ctx) => {
    const seen = new Set<string>();
    step.params.forEach((param, position) => {
      if (seen.has(param.key)) ctx.addIssue({ code: 'custom', path: ['params', position, 'key'], message: `duplicate param key ${JSON.stringify(param.key)}` });
      seen.add(param.key);
    });
  });

/** One inspection step (see {@link stepSpecSchema}). */
export type StepSpec = z.infer<typeof stepSpecSchema>;

/** The list of steps, whose `index` fields must run 1..n in order. */
export const stepListSchema = z.array(stepSpecSchema).superRefine((steps, ctx) => {
  steps.forEach((step, position) => {
    if (step.index !== position + 1) {
      ctx.addIssue({ code: 'custom', path: [position, 'index'], message: `expected ${position + 1} (steps are numbered 1..n in order), got ${step.index}` });
    }
  });
});
