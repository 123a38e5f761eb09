import type { ErrorCode } from './error-codes.js';
import { ProcVisionError } from './procvision-error.js';

/** One violated rule: where (`supported_pids[3]`, `user_params.threshold`) and what was expected. */
export interface ContractIssue {
  /** Dotted path of the bad field, `""` for the value itself. */
  path: string;
  /** What was expected and what was found, e.g. `expected a number between 0.5 and 0.9, got 1.2`. */
  message: string;
}

/**
 * A value broke a ProcVision contract (manifest, getInfo, results, config, delivery.json).
 * `message` names every bad field; `issues` lists them one by one for tools.
 */
export class ContractError extends ProcVisionError {
  /** Cross-copy brand: `ContractError.isInstance` accepts only ContractErrors (see `ProcVisionError.isInstance`). */
  static override readonly brand = 'ContractError';
  /** Every violated rule, in document order. */
  readonly issues: ContractIssue[];

  constructor(code: ErrorCode, message: string, issues: ContractIssue[], options: { cause?: unknown } = {}) {
    super(code, message, { ...options, details: { issues } });
    this.name = 'ContractError';
    this.issues = issues;
  }
}

/** Joins issues into one line per field: `what: path: message; path: message`. */
export function formatContractIssues(subject: string, issues: readonly ContractIssue[]): string {
  const lines = issues.map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`));
  return `${subject}: ${lines.join('; ')}`;
}
