import { z } from 'zod';
import type { ContractIssue } from './contract-error.js';
import { describeValue } from './internal/describe-value.js';
import { formatIssues } from './internal/format-issues.js';
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

function rangeText(kind: string, min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${kind} between ${min} and ${max}`;
  if (min !== undefined) return `${kind} >= ${min}`;
  if (max !== undefined) return `${kind} <= ${max}`;
  return kind;
}

function single(message: string): ContractIssue[] {
  return [{ path: '', message }];
}

/** Every way `value` breaks `spec`; paths are relative to the value (`""`, or `width` inside a rect). */
export function paramValueIssues(spec: ParamSpec, value: unknown): ContractIssue[] {
  const got = `, got ${describeValue(value)}`;
  switch (spec.type) {
    case 'int':
    case 'float': {
      const expected = rangeText(spec.type === 'int' ? 'an integer' : 'a number', spec.min, spec.max);
      const typeOk = typeof value === 'number' && Number.isFinite(value) && (spec.type === 'float' || Number.isInteger(value));
      if (!typeOk) return single(`expected ${expected}${got}`);
      const outOfRange = (spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max);
      return outOfRange ? single(`expected ${expected}${got}`) : [];
    }
    case 'bool':
      return typeof value === 'boolean' ? [] : single(`expected true or false${got}`);
    case 'string': {
      const minLength = spec.min_length ?? 1;
      const maxLength = spec.max_length ?? 1000;
      if (typeof value !== 'string') return single(`expected a string${got}`);
      if (value.length < minLength || value.length > maxLength) {
        return single(`expected a string of ${minLength} to ${maxLength} characters, got ${value.length} characters`);
      }
      if (spec.pattern !== undefined && !new RegExp(spec.pattern).test(value)) return single(`expected a string matching /${spec.pattern}/${got}`);
      return [];
    }
    case 'enum':
      return (spec.choices as unknown[]).includes(value)
        ? []
        : single(`expected one of ${spec.choices.map((choice) => JSON.stringify(choice)).join(', ')}${got}`);
    case 'rect': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return single(`expected a rect {x, y, width, height}${got}`);
      const result = rectSchema.safeParse(value, { reportInput: true });
      return result.success ? [] : formatIssues(result.error.issues);
    }
  }
}
