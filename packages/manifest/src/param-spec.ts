import { z } from 'zod';
import { paramValueIssues } from './internal/param-value.js';
import { rectSchema } from './rect.js';

const baseFields = {
  /** The user_params key. */
  key: z.string().min(1),
  description: z.string().optional(),
  required: z.boolean().optional(),
};
const rangeFields = { min: z.number().optional(), max: z.number().optional(), unit: z.string().optional() };

/** An integer parameter with optional `min`, `max`, `unit`. */
export const intParamSpecSchema = z.object({ ...baseFields, type: z.literal('int'), ...rangeFields, default: z.number().optional() });
/** A finite number parameter with optional `min`, `max`, `unit`. */
export const floatParamSpecSchema = z.object({ ...baseFields, type: z.literal('float'), ...rangeFields, default: z.number().optional() });
/** A boolean parameter. */
export const boolParamSpecSchema = z.object({ ...baseFields, type: z.literal('bool'), default: z.boolean().optional() });
/** A string parameter: `min_length` (default 1), `max_length` (default 1000), optional `pattern` (a JS regex source, unanchored). */
export const stringParamSpecSchema = z.object({
  ...baseFields,
  type: z.literal('string'),
  min_length: z.number().int().min(0).optional(),
  max_length: z.number().int().min(0).optional(),
  pattern: z.string().optional(),
  default: z.string().optional(),
});
/** One of a non-empty list of `choices` (strings or numbers). */
export const enumParamSpecSchema = z.object({
  ...baseFields,
  type: z.literal('enum'),
  choices: z.array(z.union([z.string(), z.number()])).min(1),
  default: z.union([z.string(), z.number()]).optional(),
});
/** A rectangle `{x, y, width, height}` in image pixels. */
export const rectParamSpecSchema = z.object({ ...baseFields, type: z.literal('rect'), default: rectSchema.optional() });

/** Rules across fields: ranges ordered, pattern compiles, choices unique, default valid for its own spec. */
function checkSpecConsistency(spec: ParamSpecShape, ctx: z.RefinementCtx): void {
  if ((spec.type === 'int' || spec.type === 'float') && spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) {
    ctx.addIssue({ code: 'custom', path: ['max'], message: `expected max >= min (${spec.min}), got ${spec.max}` });
  }
  if (spec.type === 'string') {
    if ((spec.min_length ?? 1) > (spec.max_length ?? 1000)) {
      ctx.addIssue({
        code: 'custom',
        path: ['max_length'],
        message: `expected max_length >= min_length (${spec.min_length ?? 1}), got ${spec.max_length ?? 1000}`,
      });
    }
    if (spec.pattern !== undefined) {
      try {
        new RegExp(spec.pattern);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['pattern'], message: `expected a valid regular expression: ${(error as Error).message}` });
        return;
      }
    }
  }
  if (spec.type === 'enum' && new Set(spec.choices).size !== spec.choices.length) {
    ctx.addIssue({ code: 'custom', path: ['choices'], message: 'expected unique choices, got duplicates' });
  }
  if (spec.default !== undefined) {
    for (const issue of paramValueIssues(spec, spec.default)) {
      const path = issue.path === '' ? ['default'] : ['default', issue.path];
      ctx.addIssue({ code: 'custom', path, message: `default must be valid for its own spec: ${issue.message}` });
    }
  }
}

const paramSpecUnion = z.discriminatedUnion('type', [
  intParamSpecSchema,
  floatParamSpecSchema,
  boolParamSpecSchema,
  stringParamSpecSchema,
  enumParamSpecSchema,
  rectParamSpecSchema,
]);
type ParamSpecShape = z.infer<typeof paramSpecUnion>;

/** One step parameter: `key`, `type` (int, float, bool, string, enum, rect), its extra fields, `required`, `default`. */
export const paramSpecSchema = paramSpecUnion.superRefine(checkSpecConsistency);

/** One step parameter (see {@link paramSpecSchema}). */
export type ParamSpec = z.infer<typeof paramSpecSchema>;
/** The `type` of a parameter. */
export type ParamType = ParamSpec['type'];
