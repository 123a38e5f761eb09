import type { ContractIssue } from '../contract-error.js';
import type { ParamSpec } from '../param-spec.js';
import { rectSchema } from '../rect.js';
import { describeValue } from './describe-value.js';
import { formatIssues } from './format-issues.js';

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
