import type { z } from 'zod';
import type { ContractIssue } from '../contract-error.js';
import { describeValue } from './describe-value.js';

type ZodIssue = z.core.$ZodIssue;

/** Renders a zod path as `a.b[2].c`, prefixed by `prefix` when given. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
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

const defaultMessage = /^(Invalid|Too (small|big)|Unrecognized key)/;

/** Turns one zod issue into a message that states what was expected and what was found. */
function issueMessage(issue: ZodIssue): string {
  if (!defaultMessage.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `required, expected ${issue.expected}` : `expected ${issue.expected}${got(issue)}`;
    case 'too_small':
      return `${bound(issue, issue.minimum, 'min')}${got(issue)}`;
    case 'too_big':
      return `${bound(issue, issue.maximum, 'max')}${got(issue)}`;
    case 'invalid_value':
      return `expected ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}${got(issue)}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    case 'invalid_format':
      if (issue.format === 'regex' && 'pattern' in issue) return `expected a string matching ${String(issue.pattern)}${got(issue)}`;
      return `expected a ${issue.format} string${got(issue)}`;
    case 'invalid_union':
      return `does not match any allowed form${got(issue)}`;
    default:
      return issue.message;
  }
}

/** Converts zod issues into {@link ContractIssue}s, paths prefixed with `prefix`. */
export function formatIssues(issues: readonly ZodIssue[], prefix = ''): ContractIssue[] {
  return issues.map((issue) => ({ path: formatPath(issue.path, prefix), message: issueMessage(issue) }));
}
