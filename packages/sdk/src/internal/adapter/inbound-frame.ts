import type { ErrorCode, parseRunnerMessage } from '@procvision/manifest';
import { quickCallData } from './quick-call-check.js';
import { ErrorCodes } from '@procvision/manifest/errors';

/** @procvision/manifest's schema check of runner messages (loaded only when needed). */
export type RunnerMessageSchemaCheck = typeof parseRunnerMessage;

/** Loads the schema check: the first time, this imports @procvision/manifest and zod. */
export async function loadRunnerMessageSchemaCheck(): Promise<RunnerMessageSchemaCheck> {
  return (await import('@procvision/manifest')).parseRunnerMessage;
}

/** A runner -> adapter message, reduced to what the adapter acts on. */
type InboundFrame =
  | { type: 'hello'; protocol: unknown }
  | { type: 'ping'; requestId: string | null }
  | { type: 'call'; requestId: string; data: Record<string, unknown> }
  | { type: 'shutdown' }
  | { type: 'error'; requestId: string | null; raw: Record<string, unknown> };

/** Outcome of {@link readInboundFrame}: the message, or why it is refused (sent back as an `error` frame). */
type InboundFrameReading = { ok: true; message: InboundFrame } | { ok: false; reason: string; requestId: string | null; code: ErrorCode };

/**
 * Reads one decoded frame from the runner. Calls are validated with @procvision/manifest's
 * `parseRunnerMessage` (the older flat form is normalised into `data`; invalid call data is
 * refused with 1006; a plainly valid call skips the zod parse, see `quickCallData`); hello,
 * ping, shutdown and error frames are accepted tolerantly; an unknown `type` is refused with
 * 9999. Returns `undefined` when the message needs the schema check and `schemaCheck` is not
 * given (load it with {@link loadRunnerMessageSchemaCheck} and read the message again).
 */
export function readInboundFrame(raw: Record<string, unknown>, schemaCheck?: RunnerMessageSchemaCheck): InboundFrameReading | undefined {
  const requestId = typeof raw.request_id === 'string' ? raw.request_id : null;
  switch (raw.type) {
    case 'hello':
      return { ok: true, message: { type: 'hello', protocol: raw.protocol } };
    case 'ping':
      return { ok: true, message: { type: 'ping', requestId } };
    case 'shutdown':
      return { ok: true, message: { type: 'shutdown' } };
    case 'error':
      return { ok: true, message: { type: 'error', requestId, raw } };
    case 'call': {
      const data = quickCallData(raw);
      if (data !== undefined) return { ok: true, message: { type: 'call', requestId: raw.request_id as string, data } };
      break;
    }
    default:
      break;
  }
  if (schemaCheck === undefined) return undefined;
  const parsed = schemaCheck(raw);
  if (!parsed.ok)
    return { ok: false, reason: parsed.reason, requestId: parsed.requestId, code: raw.type === 'call' ? ErrorCodes.invalidParams : ErrorCodes.unknownError };
  if (parsed.message.type !== 'call') return { ok: false, reason: `unexpected ${parsed.message.type} message`, requestId, code: ErrorCodes.unknownError };
  return { ok: true, message: { type: 'call', requestId: parsed.message.request_id, data: parsed.message.data as Record<string, unknown> } };
}
