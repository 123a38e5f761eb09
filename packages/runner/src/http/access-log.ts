import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RunnerLogger } from '../logger.js';
import { serviceLogEntry } from './internal/service-log.js';
import { findRoute, type Route } from './router.js';
import { requestTrace } from './request-trace.js';

/** The response header that carries the request id (a caller's own `X-Request-Id` is kept when it is sane). */
const requestIdHeader = 'x-request-id';

const saneRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** The route pattern a request matches (`/packages/:name/:version`), or `unmatched`: a label of bounded cardinality. */
function routeLabel(routes: readonly Route[], method: string, url: string | undefined): string {
  try {
    return findRoute(routes, method, new URL(url ?? '/', 'http://service.invalid').pathname).route.pattern;
  } catch {
    return 'unmatched';
  }
}

/**
 * Wraps a request handler with a request id (the caller's `X-Request-Id` when sane, else a new
 * UUID, echoed in the response header) and one structured access log line per request once
 * its response is finished or cut: `{"message": "GET /ready 200 1.2 ms", "sessionId", "traceId",
 * "fields": {"kind": "access", "request_id", "method", "route", "status", "duration_ms"}}`, at
 * level info (warn for 5xx). The route is the pattern, never the raw path, so ids do not leak
 * into logs; the session and the trace (W3C `traceparent`, or the body's `context.trace_id`)
 * are top-level tags, as on the runner's and the algorithm's lines.
 */
export function withAccessLog(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  options: { routes: readonly Route[]; logger: RunnerLogger },
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return (request, response) => {
    const started = process.hrtime.bigint();
    const offered = request.headers[requestIdHeader];
    const requestId = typeof offered === 'string' && saneRequestId.test(offered) ? offered : randomUUID();
    response.setHeader(requestIdHeader, requestId);
    const method = request.method ?? 'GET';
    const trace = requestTrace(request);
    response.once('close', () => {
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e3) / 1e3;
      const route = routeLabel(options.routes, method, request.url);
      const status = response.headersSent ? response.statusCode : 0;
      const fields = {
        kind: 'access',
        request_id: requestId,
        method,
        route,
        status,
        duration_ms: durationMs,
        ...(response.writableFinished ? {} : { aborted: true }),
      };
      options.logger.log({
        ...serviceLogEntry(status >= 500 ? 'warn' : 'info', `${method} ${route} ${status} ${durationMs} ms`),
        sessionId: trace.sessionId ?? null,
        ...(trace.traceId === undefined ? {} : { traceId: trace.traceId }),
        fields,
      });
    });
    return handle(request, response);
  };
}
