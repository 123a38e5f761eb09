import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RunnerLogger } from '../logger.js';
import { type ErrorResponse, HttpError, toErrorResponse } from './http-error.js';
import { serviceLogEntry } from './internal/service-log.js';
import { findRoute, type Route } from './router.js';
import { sendResponse } from './send-response.js';
import type { ServiceMetrics } from './service-metrics.js';

/** What {@link createRequestHandler} dispatches with. */
interface RequestHandlerOptions {
  routes: readonly Route[];
  metrics: ServiceMetrics;
  logger: RunnerLogger;
  /** True once a graceful shutdown began: new requests get 503 and `Connection: close`. */
  isClosing: () => boolean;
  /** Checks a request's credentials before routing (throws to refuse it); see `bearerAuthorizer`. */
  authorize?: (request: IncomingMessage, pathname: string) => void;
  /** Rewrites error messages and details before they are sent (private paths out). */
  redact?: (text: string) => string;
}

/**
 * One request, top to bottom: refuse it while closing, find the route (404/405), run the
 * handler, send its JSON or text; anything thrown becomes the error JSON with its mapped
 * status (5xx answers that are not HTTP-layer errors are logged). Counted in the metrics.
 */
export function createRequestHandler(options: RequestHandlerOptions): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const { routes, metrics, logger } = options;
  return async (request, response) => {
    const answered = metrics.requestStart();
    const method = request.method ?? 'GET';
    let routeLabel = 'unmatched';
    let status = 500;
    const closing = options.isClosing();
    const extraHeaders: Record<string, string> = closing ? { connection: 'close' } : {};
    try {
      if (closing) throw new HttpError('shutting_down', 'the runner service is shutting down; retry after its restart');
      const url = new URL(request.url ?? '/', 'http://service.invalid');
      options.authorize?.(request, url.pathname);
      const match = findRoute(routes, method, url.pathname);
      routeLabel = match.route.pattern;
      status = sendResponse(response, await match.route.handle({ request, params: match.params, query: url.searchParams }), extraHeaders);
    } catch (error) {
      const failure = redactFailure(toErrorResponse(error), options.redact);
      if (failure.status >= 500 && !(error instanceof HttpError))
        logger.log(serviceLogEntry('error', `${method} ${request.url}: ${failure.body.error.message}`));
      status = failure.status;
      if (response.headersSent) response.destroy();
      else sendResponse(response, { status, json: failure.body }, { ...extraHeaders, ...failure.headers });
    } finally {
      answered(method, routeLabel, status);
    }
  };
}

function redactFailure(failure: ErrorResponse, redact: ((text: string) => string) | undefined): ErrorResponse {
  if (redact === undefined) return failure;
  const { message, details } = failure.body.error;
  const error = { ...failure.body.error, message: redact(message) };
  if (details !== undefined) error.details = JSON.parse(redact(JSON.stringify(details))) as Record<string, unknown>;
  return { ...failure, body: { error } };
}
