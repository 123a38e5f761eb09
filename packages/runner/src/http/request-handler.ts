import type { Socket } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import type { RunnerLogger } from '../logger.js';
import { attachBodyBudget, type BodyBudget } from './body-budget.js';
import type { ConnectionGuard } from './connection-guard.js';
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
  /** Connections beyond the caps: only the probe is served on them. */
  connectionGuard?: ConnectionGuard;
  /** The byte budget request bodies are read under (released when the request is answered). */
  bodyBudget?: BodyBudget;
}

/** How long a connection answered early keeps discarding what its client still sends (a graceful half-close). */
const earlyAnswerLingerMs = 1_000;

/**
 * An answer given before the request body was read (401, 413, 415, 503...): `Connection:
 * close`, and once the answer is sent the connection is half-closed (FIN) while what the client
 * still sends is read and discarded for at most {@link earlyAnswerLingerMs}, then it is
 * destroyed. Destroying it at once, with the client's bytes unread, makes the kernel answer
 * with a reset, which can reach a client still writing its body before it reads the answer.
 * Nothing of the body is kept, and no client holds the connection longer than the linger.
 */
function closeAfterEarlyAnswer(request: IncomingMessage, response: ServerResponse, headers: Record<string, string>): void {
  if (request.complete) return;
  headers.connection = 'close';
  // May be null already (the request stream failed and node:http let go of its socket).
  const socket = request.socket as Socket | null;
  response.once('finish', () => {
    if (socket === null || socket.destroyed) return;
    // node:http has called socket.destroySoon() (end, then destroy on 'finish'): keep the end, defer the destroy.
    socket.removeListener('finish', socket.destroy);
    request.resume();
    socket.resume();
    const timer = setTimeout(() => socket.destroy(), earlyAnswerLingerMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.once('end', () => socket.destroy());
  });
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
    if (options.bodyBudget !== undefined) attachBodyBudget(request, options.bodyBudget);
    try {
      if (closing) throw new HttpError('shutting_down', 'the runner service is shutting down; retry after its restart');
      const url = new URL(request.url ?? '/', 'http://service.invalid');
      const guard = options.connectionGuard;
      if (guard !== undefined && guard.isRestricted(request) && !guard.isProbe(url.pathname)) {
        extraHeaders.connection = 'close';
        throw new ProcVisionError(ErrorCodes.serviceBusy, 'the runner serves as many connections as it allows (all, or from this client); retry shortly', {
          details: { retry_after_s: 1 },
        });
      }
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
      else {
        const headers = { ...extraHeaders, ...failure.headers };
        closeAfterEarlyAnswer(request, response, headers);
        sendResponse(response, { status, json: failure.body }, headers);
      }
    } finally {
      options.bodyBudget?.release(request);
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
