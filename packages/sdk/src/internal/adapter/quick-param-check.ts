import type { ParamSpec } from '@procvision/manifest';
import { isPlainRecord } from './quick-call-check.js';

type Fields = Record<string, unknown>;

const optional = (value: unknown, test: (value: unknown) => boolean): boolean => value === undefined || test(value);
const isString = (value: unknown): boolean => typeof value === 'string';
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isCount = (value: unknown): value is number => isFiniteNumber(value) && Number.isInteger(value) && value >= 0;

/** The present fields among `keys` (zod's object output: known keys only). */
function pick(spec: Fields, keys: readonly string[]): Fields {
  const picked: Fields = {};
  for (const key of keys) if (spec[key] !== undefined) picked[key] = spec[key];
  return picked;
}

const baseKeys = ['key', 'type', 'description', 'required', 'default'] as const;

function quickNumberSpec(spec: Fields): Fields | undefined {
  const { min, max, unit, default: value } = spec;
  if (!optional(min, isFiniteNumber) || !optional(max, isFiniteNumber) || !optional(unit, isString)) return undefined;
  if (isFiniteNumber(min) && isFiniteNumber(max) && min > max) return undefined;
  if (value !== undefined) {
    if (!isFiniteNumber(value) || (spec.type === 'int' && !Number.isInteger(value))) return undefined;
    if ((isFiniteNumber(min) && value < min) || (isFiniteNumber(max) && value > max)) return undefined;
  }
  return pick(spec, [...baseKeys, 'min', 'max', 'unit']);
}

function quickStringSpec(spec: Fields): Fields | undefined {
  const { min_length: minLength, max_length: maxLength, pattern, default: value } = spec;
  // A pattern must compile and the default match it: the schema words those errors.
  if (pattern !== undefined || !optional(minLength, isCount) || !optional(maxLength, isCount)) return undefined;
  const low = (minLength as number | undefined) ?? 1;
  const high = (maxLength as number | undefined) ?? 1000;
  if (low > high) return undefined;
  if (value !== undefined && (typeof value !== 'string' || value.length < low || value.length > high)) return undefined;
  return pick(spec, [...baseKeys, 'min_length', 'max_length']);
}

function quickEnumSpec(spec: Fields): Fields | undefined {
  const { choices, default: value } = spec;
  if (!Array.isArray(choices) || choices.length === 0) return undefined;
  if (!choices.every((choice: unknown) => typeof choice === 'string' || isFiniteNumber(choice))) return undefined;
  if (new Set(choices).size !== choices.length) return undefined;
  if (value !== undefined && !(choices as unknown[]).includes(value)) return undefined;
  return { ...pick(spec, baseKeys), choices: [...(choices as Array<string | number>)] };
}

/**
 * A hand-written check of one plainly valid step param spec, so an algorithm whose steps
 * declare params starts without zod. It accepts a strict subset of what `paramSpecSchema`
 * accepts (no `pattern`, no rect `default`: the schema checks those) and builds the same value;
 * anything else returns `undefined` and the schema decides. test/quick-checks.test.ts compares both.
 */
export function quickParamSpec(value: unknown): ParamSpec | undefined {
  if (!isPlainRecord(value)) return undefined;
  const { key, type, description, required } = value;
  if (typeof key !== 'string' || key.length === 0 || !optional(description, isString) || !optional(required, (v) => typeof v === 'boolean')) {
    return undefined;
  }
  switch (type) {
    case 'int':
    case 'float':
      return quickNumberSpec(value) as ParamSpec | undefined;
    case 'bool':
      return optional(value.default, (v) => typeof v === 'boolean') ? (pick(value, baseKeys) as ParamSpec) : undefined;
    case 'string':
      return quickStringSpec(value) as ParamSpec | undefined;
    case 'enum':
      return quickEnumSpec(value) as ParamSpec | undefined;
    case 'rect':
      return value.default === undefined ? (pick(value, baseKeys) as ParamSpec) : undefined;
    default:
      return undefined;
  }
}

/** {@link quickParamSpec} over a step's `params` (absent means none), with unique keys; `undefined` when any needs the schema. */
export function quickParamSpecs(params: unknown): ParamSpec[] | undefined {
  if (params === undefined) return [];
  if (!Array.isArray(params)) return undefined;
  const specs: ParamSpec[] = [];
  const keys = new Set<string>();
  for (const param of params as unknown[]) {
    const spec = quickParamSpec(param);
    if (spec === undefined || keys.has(spec.key)) return undefined;
    keys.add(spec.key);
    specs.push(spec);
  }
  return specs;
}
