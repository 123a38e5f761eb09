import { z } from 'zod';
import { errorCodeSchema } from './error-code-schema.js';
import { rectSchema } from './rect.js';

/** Whether a call worked: `OK` or `ERROR` (never `NG`: the verdict is `data.result_status`). */
export const callStatusSchema = z.enum(['OK', 'ERROR'], {
  error: (issue) => `expected "OK" or "ERROR", got ${JSON.stringify(issue.input)} (a pass/fail verdict goes in data.result_status)`,
});
/** Whether a call worked. */
export type CallStatus = z.infer<typeof callStatusSchema>;

/** The verdict of `execute`: `OK` or `NG`. */
export const resultStatusSchema = z.enum(['OK', 'NG']);
/** The verdict of `execute`. */
export type ResultStatus = z.infer<typeof resultStatusSchema>;

/** Free-form JSON for logs (`latency_ms`, `model_version`, ...). */
export const debugSchema = z.record(z.string(), z.unknown());

function requireMessageOnError(result: { status: string; message?: string | undefined }, ctx: z.RefinementCtx): void {
  if (result.status === 'ERROR' && (result.message === undefined || result.message.trim() === '')) {
    ctx.addIssue({ code: 'custom', path: ['message'], message: 'required when status is "ERROR": say what went wrong' });
  }
}

/** What `preExecute` returns: status, message (required for ERROR), optional `data.calibration_rects`, never a verdict. */
export const preExecuteResultSchema = z
  .object({
    status: callStatusSchema,
    message: z.string().optional(),
    error_code: errorCodeSchema.optional(),
    data: z.looseObject({ calibration_rects: z.array(rectSchema).optional() }).optional(),
    debug: debugSchema.optional(),
  })
  .superRefine((result, ctx) => {
    requireMessageOnError(result, ctx);
    if (result.data !== undefined && 'result_status' in result.data) {
      ctx.addIssue({ code: 'custom', path: ['data', 'result_status'], message: 'a pre_execute result carries no verdict; return result_status from execute' });
    }
  });
/** What `preExecute` returns (see {@link preExecuteResultSchema}). */
export type PreExecuteResult = z.infer<typeof preExecuteResultSchema>;

/** `data` of an execute result: verdict, NG reason, defect and position rects, debug. */
export const executeDataSchema = z.looseObject({
  result_status: resultStatusSchema.optional(),
  ng_reason: z.string().optional(),
  defect_rects: z.array(rectSchema).optional(),
  position_rects: z.array(rectSchema).optional(),
  debug: debugSchema.optional(),
});
/** `data` of an execute result. */
export type ExecuteData = z.infer<typeof executeDataSchema>;

/** What `execute` returns: ERROR needs message; OK needs data.result_status; NG needs ng_reason and defect_rects. */
export const executeResultSchema = z
  .object({
    status: callStatusSchema,
    message: z.string().optional(),
    error_code: errorCodeSchema.optional(),
    data: executeDataSchema.optional(),
    debug: debugSchema.optional(),
  })
  .superRefine((result, ctx) => {
    requireMessageOnError(result, ctx);
    if (result.status !== 'OK') return;
    const data = result.data;
    if (data?.result_status === undefined) {
      ctx.addIssue({ code: 'custom', path: ['data', 'result_status'], message: 'required when status is "OK": expected "OK" or "NG"' });
      return;
    }
    if (data.result_status !== 'NG') return;
    if (data.ng_reason === undefined || data.ng_reason.trim() === '') {
      ctx.addIssue({ code: 'custom', path: ['data', 'ng_reason'], message: 'required when result_status is "NG": a short reason (under ~50 characters)' });
    }
    if (data.defect_rects === undefined || data.defect_rects.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['data', 'defect_rects'], message: 'required when result_status is "NG": at least one rect locating the defect' });
    }
  });
/** What `execute` returns (see {@link executeResultSchema}). */
export type ExecuteResult = z.infer<typeof executeResultSchema>;
