import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import type { StepOutcome } from '../process/step-outcome.js';
import type { RouteResponse } from './router.js';

/** The JSON body of a step that reached the algorithm (`POST /sessions/:id/steps`, `POST /execute`). */
export interface StepResponseBody {
  session_id: string;
  step_index: number;
  /** Whether the step worked; the verdict is `result_status`. */
  status: 'OK' | 'ERROR';
  /** OK/NG from execute, when it ran and succeeded. */
  result_status?: 'OK' | 'NG';
  message: string;
  /** The error code an algorithm returned with status ERROR. */
  error_code?: string;
  /** Where an ERROR stopped the step: `pre` or `execute`. */
  stage: string;
  pre_execute: unknown;
  execute: unknown;
  warnings: string[];
  /** What the algorithm published through the SDK's diagnostics (`StepOutcome.diagnostics`), when anything. */
  diagnostics?: Record<string, unknown>;
  timings: { total_ms: number };
  /** The step's trace id (W3C `traceparent` trace-id or `context.trace_id`), when it has one. */
  trace_id?: string;
}

/** True when the stage that ended the step produced a result from the algorithm itself. */
function algorithmAnswered(outcome: StepOutcome): boolean {
  if (outcome.status === 'OK') return true;
  if (outcome.stage === 'pre') return outcome.pre !== undefined;
  if (outcome.stage === 'execute') return outcome.execute !== undefined;
  return false;
}

/**
 * Shapes a step outcome for HTTP. A step the algorithm answered is a 200 with both results,
 * even when the algorithm returned ERROR on purpose (the results are the data the client
 * needs); a step the runner could not get answered (bad params, unknown step, timeout, crash,
 * invalid result) throws its ProcVisionError so it becomes an error response.
 */
export function stepResponse(outcome: StepOutcome, traceId?: string): RouteResponse {
  if (!algorithmAnswered(outcome)) {
    throw new ProcVisionError(outcome.errorCode ?? ErrorCodes.unknownError, outcome.message, {
      details: {
        stage: outcome.stage,
        session_id: outcome.sessionId,
        step_index: outcome.stepIndex,
        ...(outcome.pre ? { pre_execute: outcome.pre } : {}),
        ...(traceId === undefined ? {} : { trace_id: traceId }),
      },
    });
  }
  const body: StepResponseBody = {
    session_id: outcome.sessionId,
    step_index: outcome.stepIndex,
    status: outcome.status,
    ...(outcome.resultStatus === undefined ? {} : { result_status: outcome.resultStatus }),
    message: outcome.message,
    ...(outcome.status === 'ERROR' && outcome.errorCode !== undefined ? { error_code: outcome.errorCode } : {}),
    stage: outcome.stage,
    pre_execute: outcome.pre ?? null,
    execute: outcome.execute ?? null,
    warnings: outcome.warnings,
    ...(outcome.diagnostics === undefined ? {} : { diagnostics: outcome.diagnostics }),
    timings: { total_ms: Math.round(outcome.latencyMs * 1000) / 1000 },
    ...(traceId === undefined ? {} : { trace_id: traceId }),
  };
  return { json: body };
}
