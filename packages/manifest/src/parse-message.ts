import type { z } from 'zod';
import { formatContractIssues } from './contract-error.js';
import { parseWithIssues } from './internal/parse-with-issues.js';
import { type AdapterMessage, adapterMessageSchema, type RunnerMessage, runnerMessageSchema } from './protocol-messages.js';

/**
 * Why a frame was refused: not a JSON object, no `type` string, a `type` this side does not
 * know, or a known type with invalid fields.
 */
export type MessageParseFailure = 'not-an-object' | 'no-type' | 'unknown-type' | 'invalid-fields';

/** Outcome of {@link parseAdapterMessage} / {@link parseRunnerMessage}: branch on `failure`, never on `reason`'s text. */
export type MessageParse<T> = { ok: true; message: T } | { ok: false; failure: MessageParseFailure; reason: string; requestId: string | null };

const callDataKeys = ['phase', 'step_index', 'pid', 'session', 'user_params', 'shared_mem_id', 'image_meta'];

/** Moves the fields of the older flat `call` form (phase, pid, ... at the top level) under `data`. */
export function normaliseFlatCall(frame: Record<string, unknown>): Record<string, unknown> {
  if (frame.type !== 'call' || frame.data !== undefined || !('phase' in frame)) return frame;
  const outer: Record<string, unknown> = {};
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(frame)) (callDataKeys.includes(key) ? data : outer)[key] = value;
  return { ...outer, data };
}

function parseFrame<T>(schema: z.ZodType<T>, knownTypes: readonly string[], frame: unknown): MessageParse<T> {
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame))
    return { ok: false, failure: 'not-an-object', reason: 'expected a JSON object frame', requestId: null };
  const record = frame as Record<string, unknown>;
  const requestId = typeof record.request_id === 'string' ? record.request_id : null;
  if (typeof record.type !== 'string') return { ok: false, failure: 'no-type', reason: 'type: required, expected a message type string', requestId };
  if (!knownTypes.includes(record.type)) {
    return {
      ok: false,
      failure: 'unknown-type',
      reason: `unknown message type ${JSON.stringify(record.type)}; expected one of ${knownTypes.join(', ')}`,
      requestId,
    };
  }
  const outcome = parseWithIssues(schema, normaliseFlatCall(record));
  if (outcome.ok) return { ok: true, message: outcome.value };
  return { ok: false, failure: 'invalid-fields', reason: formatContractIssues(`invalid ${record.type} message`, outcome.issues), requestId };
}

/** Parses a frame an adapter sent (hello, pong, result, error, shutdown ack). Never throws. */
export function parseAdapterMessage(frame: unknown): MessageParse<AdapterMessage> {
  return parseFrame(adapterMessageSchema, ['hello', 'pong', 'result', 'error', 'shutdown'], frame);
}

/** Parses a frame a runner sent (hello, ping, call in either form, error, shutdown). Never throws. */
export function parseRunnerMessage(frame: unknown): MessageParse<RunnerMessage> {
  return parseFrame(runnerMessageSchema, ['hello', 'ping', 'call', 'error', 'shutdown'], frame);
}
