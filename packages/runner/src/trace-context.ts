/**
 * Trace context: one id that joins a request's access line, the runner's lines about it, the
 * algorithm's log lines of its calls and the step response. It comes from a W3C `traceparent`
 * header (`00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>`) or from the caller's
 * `context.trace_id`, and reaches the algorithm as `session.context.trace_id` of the call.
 */

/** `traceparent`: version (not ff), trace-id (not all zero), parent-id (not all zero), flags; lower-case hex. */
const traceparentPattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** A `context.trace_id` the runner repeats in its logs: a bounded id of safe characters. */
const saneTraceId = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The trace-id of a W3C `traceparent` header value, or undefined when it is absent or invalid
 * (an invalid header is ignored, as the W3C Trace Context spec asks).
 */
export function traceIdFromTraceparent(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string' || header.length > 512) return undefined;
  const match = traceparentPattern.exec(header.trim());
  if (match === null) return undefined;
  const [, version, traceId, parentId] = match;
  if (version === 'ff' || (version === '00' && match[5] !== undefined)) return undefined;
  if (/^0+$/.test(traceId!) || /^0+$/.test(parentId!)) return undefined;
  return traceId;
}

/** `context.trace_id` when it is a sane id string (else undefined: it stays in the context, but not in log tags). */
export function traceIdFromContext(context: unknown): string | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  const value = (context as { trace_id?: unknown }).trace_id;
  return typeof value === 'string' && saneTraceId.test(value) ? value : undefined;
}

/** `{traceId}` of a call's `session.context.trace_id`, or `{}` (spread into log tags). */
export function traceOf(data: object): { traceId?: string } {
  const traceId = traceIdFromContext((data as { session?: { context?: unknown } }).session?.context);
  return traceId === undefined ? {} : { traceId };
}
