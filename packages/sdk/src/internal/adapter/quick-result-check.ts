import type { ExecuteResult, PreExecuteResult, ResultCheck } from '@procvision/manifest';
import { MAX_NG_REASON_LENGTH, MAX_RESULT_MESSAGE_LENGTH } from '@procvision/manifest/limits';
import { isPlainRecord } from './quick-call-check.js';

/**
 * The common OK result of `execute` (`{status: 'OK', data: {result_status: 'OK', ...}}`)
 * checked by hand, so the hot path skips the zod parse of `checkExecuteResult`. It recognises
 * only results that plainly meet every rule and need no warning; for anything else (ERROR, NG,
 * rects, an error_code, a long message) it returns `undefined` and the zod check decides.
 * The result is built as the schema builds it: known top-level keys only, `data` kept whole.
 */
export function quickExecuteResult(value: unknown): ResultCheck<ExecuteResult> | undefined {
  const top = quickTop(value);
  if (top === undefined) return undefined;
  const data = top.data;
  if (!isPlainRecord(data) || data.result_status !== 'OK') return undefined;
  if (data.defect_rects !== undefined || data.position_rects !== undefined) return undefined;
  if (data.ng_reason !== undefined && (typeof data.ng_reason !== 'string' || data.ng_reason.length > MAX_NG_REASON_LENGTH)) return undefined;
  if (data.debug !== undefined && !isPlainRecord(data.debug)) return undefined;
  return { ok: true, result: build(top, { ...data }) as ExecuteResult, warnings: [] };
}

/** The common OK result of `preExecute`, checked by hand (see {@link quickExecuteResult}). */
export function quickPreExecuteResult(value: unknown): ResultCheck<PreExecuteResult> | undefined {
  const top = quickTop(value);
  if (top === undefined) return undefined;
  const data = top.data;
  if (data === undefined) return { ok: true, result: build(top, undefined) as PreExecuteResult, warnings: [] };
  if (!isPlainRecord(data) || 'result_status' in data || data.calibration_rects !== undefined) return undefined;
  return { ok: true, result: build(top, { ...data }) as PreExecuteResult, warnings: [] };
}

/** status OK, a short message or none, no error_code, debug a plain object or absent. */
function quickTop(value: unknown): Record<string, unknown> | undefined {
  if (!isPlainRecord(value) || value.status !== 'OK' || value.error_code !== undefined) return undefined;
  const message = value.message;
  if (message !== undefined && (typeof message !== 'string' || message.length > MAX_RESULT_MESSAGE_LENGTH)) return undefined;
  if (value.debug !== undefined && !isPlainRecord(value.debug)) return undefined;
  return value;
}

function build(top: Record<string, unknown>, data: Record<string, unknown> | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = { status: 'OK' };
  if (top.message !== undefined) result.message = top.message;
  if (data !== undefined) result.data = data;
  if (top.debug !== undefined) result.debug = { ...(top.debug as Record<string, unknown>) };
  return result;
}
