import type { z } from 'zod';
import type { ContractIssue } from '../contract-error.js';
import { formatIssues } from './format-issues.js';

/** The outcome of {@link parseWithIssues}. */
type ParseOutcome<T> = { ok: true; value: T } | { ok: false; issues: ContractIssue[] };

/** Parses `value` with `schema`, turning zod issues into readable {@link ContractIssue}s. */
export function parseWithIssues<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): ParseOutcome<z.output<S>> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: formatIssues(result.error.issues, prefix) };
}
