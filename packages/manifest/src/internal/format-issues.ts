import type { z } from 'zod';
import type { ContractIssue } from '../contract-error.js';
import { describeValue } from './describe-value.js';

type ZodIssue = z.core.$ZodIssue;

const plainKey = /^[A-Za-z0-9_$-]+$/;

/** Renders a zod path as `a.b[2].c`, prefixed by `prefix` when given. */
function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && !plainKey.test(part)) out += `[${JSON.stringify(part)}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** `, got <value>`; callers parse with `reportInput: true`, so a missing input means `undefined`. */
function got(issue: ZodIssue): string {
  return `, got ${describeValue(issue.input)}`;
}

function bound(issue: ZodIssue & { origin: string; inclusive?: boolean }, limit: unknown, side: 'min' | 'max'): string {
  const strict = issue.inclusive === false;
  if (issue.origin === 'array' || issue.origin === 'set') return `expected ${side === 'min' ? 'at least' : 'at most'} ${String(limit)} entries`;
  if (issue.origin === 'string') return `expected ${side === 'min' ? 'at least' : 'at most'} ${String(limit)} characters`;
  const operator = side === 'min' ? (strict ? '>' : '>=') : strict ? '<' : '<=';
  return `expected a number ${operator} ${String(limit)}`;
}

/** A discriminated union met an unknown tag: name the allowed tags and the one found. */
function discriminatorMessage(issue: ZodIssue, discriminator: string): string {
  const options = 'options' in issue && Array.isArray(issue.options) ? issue.options : [];
  const input = issue.input as Record<string, unknown> | undefined;
  const found = typeof input === 'object' && input !== null ? input[discriminator] : undefined;
  const expected = options.map((option) => JSON.stringify(option)).join(' or ');
  return found === undefined ? `required, expected ${expected}` : `expected ${expected}, got ${describeValue(found)}`;
}

const typeNames: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'an array',
};

const defaultMessage = /^(Invalid|Too (small|big)|Unrecognized key)/;

/** Turns one zod issue into a message that states what was expected and what was found. */
function issueMessage(issue: ZodIssue): string {
  const custom = !defaultMessage.test(issue.message);
  if (custom && issue.code !== 'invalid_format') return issue.message;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = typeNames[issue.expected] ?? issue.expected;
      return issue.input === undefined ? `required, expected ${expected}` : `expected ${expected}${got(issue)}`;
    }
    case 'too_small':
      return `${bound(issue, issue.minimum, 'min')}${got(issue)}`;
    case 'too_big':
      return `${bound(issue, issue.maximum, 'max')}${got(issue)}`;
    case 'invalid_value': {
      const expected = issue.values.map((value) => JSON.stringify(value)).join(' or ');
      return issue.input === undefined ? `required, expected ${expected}` : `expected ${expected}${got(issue)}`;
    }
    case 'invalid_key':
      return `invalid key: ${issue.issues.map((inner) => issueMessage(inner as ZodIssue)).join('; ')}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    case 'invalid_format':
      if (custom) return `${issue.message}${got(issue)}`;
      if (issue.format === 'regex' && 'pattern' in issue) return `expected a string matching ${String(issue.pattern)}${got(issue)}`;
      if (issue.format === 'starts_with' && 'prefix' in issue) return `expected a string starting with ${JSON.stringify(issue.prefix)}${got(issue)}`;
      if (issue.format === 'datetime') return `expected an ISO 8601 date-time such as "2025-01-02T03:04:05Z"${got(issue)}`;
      return `expected a ${issue.format} string${got(issue)}`;
    case 'invalid_union':
      if ('discriminator' in issue && typeof issue.discriminator === 'string') return discriminatorMessage(issue, issue.discriminator);
      return `does not match any allowed form${got(issue)}`;
    default:
      return issue.message;
  }
}

/** Converts zod issues into {@link ContractIssue}s, paths prefixed with `prefix`. */
export function formatIssues(issues: readonly ZodIssue[], prefix = ''): ContractIssue[] {
  return issues.map((issue) => ({ path: formatPath(issue.path, prefix), message: issueMessage(issue) }));
}
