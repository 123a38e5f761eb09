import type { ContractIssue } from './contract-error.js';
import { ErrorCodes } from './error-codes.js';
import { describeValue } from './internal/describe-value.js';
import { type ParamSpec, paramValueIssues } from './param-spec.js';
import { rectOutsideImage } from './rect.js';
import type { StepSpec } from './step-spec.js';

/** Outcome of {@link validateUserParams}. */
export type UserParamsValidation =
  | { ok: true; params: Record<string, unknown> }
  | { ok: false; code: typeof ErrorCodes.invalidParams | typeof ErrorCodes.coordinateInvalid; message: string; issues: ContractIssue[] };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function joinPath(key: string, sub: string): string {
  return sub === '' ? `user_params.${key}` : `user_params.${key}.${sub}`;
}

function checkOne(
  spec: ParamSpec,
  value: unknown,
  image: { width: number; height: number } | undefined,
): { invalid: ContractIssue[]; outside: ContractIssue[] } {
  const invalid = paramValueIssues(spec, value).map((issue) => ({ path: joinPath(spec.key, issue.path), message: issue.message }));
  const outside: ContractIssue[] = [];
  if (invalid.length === 0 && spec.type === 'rect' && image !== undefined) {
    const problem = rectOutsideImage(value as { x: number; y: number; width: number; height: number }, image);
    if (problem !== null) outside.push({ path: `user_params.${spec.key}`, message: problem });
  }
  return { invalid, outside };
}

/**
 * Checks `userParams` against a step's param specs before the algorithm sees them, and fills
 * defaults for absent keys. A missing required key, an unknown key, a wrong type, a value out of
 * range or a string of the wrong length is code 1006; a rect outside the image (when `image` is
 * given) is 1007. Every issue names the key and what was expected.
 */
export function validateUserParams(step: StepSpec, userParams: unknown, image?: { width: number; height: number }): UserParamsValidation {
  const given = userParams === undefined ? {} : userParams;
  if (!isPlainObject(given)) {
    const issues = [{ path: 'user_params', message: `expected an object, got ${describeValue(given)}` }];
    return { ok: false, code: ErrorCodes.invalidParams, message: `user_params: ${issues[0]!.message}`, issues };
  }
  const invalid: ContractIssue[] = [];
  const outside: ContractIssue[] = [];
  const params: Record<string, unknown> = {};
  const known = new Set(step.params.map((spec) => spec.key));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) {
      const expected = known.size === 0 ? 'step takes no params' : `expected one of ${[...known].join(', ')}`;
      invalid.push({ path: `user_params.${key}`, message: `unknown key for step ${step.index} "${step.name}"; ${expected}` });
    }
  }
  for (const spec of step.params) {
    const value = given[spec.key];
    if (value === undefined) {
      if (spec.default !== undefined) params[spec.key] = structuredClone(spec.default);
      else if (spec.required === true) invalid.push({ path: `user_params.${spec.key}`, message: `required ${spec.type} param is missing` });
      continue;
    }
    const found = checkOne(spec, value, image);
    invalid.push(...found.invalid);
    outside.push(...found.outside);
    params[spec.key] = value;
  }
  const issues = [...invalid, ...outside];
  if (issues.length === 0) return { ok: true, params };
  const code = invalid.length > 0 ? ErrorCodes.invalidParams : ErrorCodes.coordinateInvalid;
  return { ok: false, code, message: issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), issues };
}
