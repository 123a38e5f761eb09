import type { ContractIssue } from './contract-error.js';
import { formatContractIssues } from './contract-error.js';
import { parseWithIssues } from './internal/parse-with-issues.js';
import { DEFAULT_MAX_DEFECTS, MAX_NG_REASON_LENGTH, MAX_RESULT_MESSAGE_LENGTH } from './result-limits.js';
import { type ExecuteResult, executeResultSchema, type PreExecuteResult, preExecuteResultSchema } from './results.js';

/** Outcome of {@link checkPreExecuteResult} and {@link checkExecuteResult}. */
export type ResultCheck<T> = { ok: true; result: T; warnings: string[] } | { ok: false; message: string; issues: ContractIssue[] };

/** The SDK's own ERROR for a result that broke the contract: its length is not the author's doing. */
const sdkInvalidResultMessage = /^(?:preExecute|execute)\(\) returned an invalid result: /;

function messageWarnings(message: string | undefined): string[] {
  return message !== undefined && message.length > MAX_RESULT_MESSAGE_LENGTH && !sdkInvalidResultMessage.test(message)
    ? [`message: ${message.length} characters; keep it under ${MAX_RESULT_MESSAGE_LENGTH}`]
    : [];
}

/** Checks what `preExecute` returned against every rule of docs/spec/domain.md. */
export function checkPreExecuteResult(value: unknown): ResultCheck<PreExecuteResult> {
  const outcome = parseWithIssues(preExecuteResultSchema, value);
  if (!outcome.ok) return { ok: false, message: formatContractIssues('invalid pre_execute result', outcome.issues), issues: outcome.issues };
  return { ok: true, result: outcome.value, warnings: messageWarnings(outcome.value.message) };
}

/**
 * Checks what `execute` returned against every rule of docs/spec/domain.md. More than `maxDefects`
 * (default {@link DEFAULT_MAX_DEFECTS}) defect rects are truncated with a warning, not rejected.
 */
export function checkExecuteResult(value: unknown, options: { maxDefects?: number } = {}): ResultCheck<ExecuteResult> {
  const outcome = parseWithIssues(executeResultSchema, value);
  if (!outcome.ok) return { ok: false, message: formatContractIssues('invalid execute result', outcome.issues), issues: outcome.issues };
  const result = outcome.value;
  const warnings = messageWarnings(result.message);
  const maxDefects = options.maxDefects ?? DEFAULT_MAX_DEFECTS;
  const data = result.data;
  if (data?.defect_rects !== undefined && data.defect_rects.length > maxDefects) {
    warnings.push(`data.defect_rects: ${data.defect_rects.length} rects returned, kept the first ${maxDefects}`);
    data.defect_rects = data.defect_rects.slice(0, maxDefects);
  }
  if (data?.position_rects !== undefined && data.position_rects.length > DEFAULT_MAX_DEFECTS) {
    warnings.push(`data.position_rects: ${data.position_rects.length} rects returned; up to ${DEFAULT_MAX_DEFECTS} recommended`);
  }
  if (data?.ng_reason !== undefined && data.ng_reason.length > MAX_NG_REASON_LENGTH) {
    warnings.push(`data.ng_reason: ${data.ng_reason.length} characters; keep it under ${MAX_NG_REASON_LENGTH}`);
  }
  return { ok: true, result, warnings };
}
