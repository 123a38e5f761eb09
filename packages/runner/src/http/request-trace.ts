import type { IncomingMessage } from 'node:http';
import { traceIdFromContext, traceIdFromTraceparent } from '../trace-context.js';

/** What the access line of a request says beyond method, route and status: its trace and session, once known. */
export interface RequestTrace {
  /** The W3C `traceparent` trace-id, else the caller's `context.trace_id` (set by the route that reads the body). */
  traceId?: string;
  /** The session the request worked on (a session route, or the one-shot session of `/execute`). */
  sessionId?: string;
}

const traces = new WeakMap<IncomingMessage, RequestTrace>();

/** The trace of a request, made from its `traceparent` header on first use; routes add to it. */
export function requestTrace(request: IncomingMessage): RequestTrace {
  let trace = traces.get(request);
  if (trace === undefined) {
    const traceId = traceIdFromTraceparent(request.headers.traceparent);
    trace = traceId === undefined ? {} : { traceId };
    traces.set(request, trace);
  }
  return trace;
}

/**
 * The trace id of a request that carries a `context`: the `traceparent`'s when the request has
 * one (then `context.trace_id` is set to it for the algorithm), else the context's own
 * `trace_id`. Returns the context to pass on and records the id for the access line.
 */
export function traceContext(request: IncomingMessage, context: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const trace = requestTrace(request);
  if (trace.traceId !== undefined) return context?.trace_id === trace.traceId ? context : { ...context, trace_id: trace.traceId };
  const own = traceIdFromContext(context);
  if (own !== undefined) trace.traceId = own;
  return context;
}
