import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http-error.js';
import { readJsonBody } from '../read-body.js';
import { createSessionSchema, parseRequest } from '../request-schemas.js';
import { queryFieldName, readStepBody } from '../step-body.js';
import type { Route } from '../router.js';
import type { ServiceContext } from '../service-context.js';
import { readImagePath } from '../caller-paths.js';
import type { FrameSource } from '../image-input.js';
import { assertJsonValueSize } from '../json-limits.js';
import { stepRequestOf } from '../step-request.js';
import { stepResponse } from '../step-response.js';
import type { InspectionSession } from '../../process/session.js';
import { requestTrace, traceContext } from '../request-trace.js';
import { traceIdFromContext } from '../../trace-context.js';

function describeSession(session: InspectionSession) {
  return { session_id: session.id, pid: session.pid, package: session.packageName, context: session.context, steps: session.steps, state: session.state };
}

/** The image source of steps: bounded path reads, the pixel limit. */
function frameSource(context: ServiceContext, fromQuery: boolean): FrameSource {
  return {
    readPath: (path, field) => readImagePath(context, path, field),
    maxPixels: context.limits.maxFramePixels,
    ...(fromQuery ? { metaField: (key: string) => queryFieldName(`image_meta.${key}`) } : {}),
  };
}

/** `context` and `user_params` within `limits.maxJsonValueBytes` (3007 otherwise). */
function checkValueSizes(context: ServiceContext, body: { context?: unknown; user_params?: unknown; guide_info?: unknown }): void {
  assertJsonValueSize(body.context, context.limits.maxJsonValueBytes, 'context');
  assertJsonValueSize(body.user_params, context.limits.maxJsonValueBytes, 'user_params');
  assertJsonValueSize(body.guide_info, context.limits.maxJsonValueBytes, 'guide_info');
}

/** The session `id` (404 when there is none); the access line names it, and its `context.trace_id` when the request has no `traceparent`. */
function requireSession(context: ServiceContext, id: string, request: IncomingMessage): InspectionSession {
  const session = context.runner.session(id);
  if (!session) throw new HttpError('not_found', `no session ${id} (ended, expired after idling, or never created); create one with POST /sessions`);
  const trace = requestTrace(request);
  trace.sessionId = session.id;
  trace.traceId ??= traceIdFromContext(session.context);
  return session;
}

/** `/sessions` (create, read, steps, reset, end) and the one-shot `/execute`. */
export function sessionRoutes(context: ServiceContext): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/sessions',
      async handle({ request }) {
        const body = parseRequest(createSessionSchema, await readJsonBody(request, context.limits.jsonBytes, context.limits.maxJsonDepth), 'session request');
        checkValueSizes(context, body);
        const sessionContext = traceContext(request, body.context);
        const session = await context.runner.openSession({ pid: body.pid, ...(sessionContext ? { context: sessionContext } : {}) });
        requestTrace(request).sessionId = session.id;
        return { status: 201, json: describeSession(session), headers: { location: `/sessions/${encodeURIComponent(session.id)}` } };
      },
    },
    { method: 'GET', pattern: '/sessions/:id', handle: ({ request, params }) => ({ json: describeSession(requireSession(context, params.id!, request)) }) },
    {
      method: 'POST',
      pattern: '/sessions/:id/steps',
      async handle({ request, params, query }) {
        const session = requireSession(context, params.id!, request);
        const { body, fromQuery } = await readStepBody(request, query, context, false);
        checkValueSizes(context, body);
        const { traceId } = requestTrace(request);
        const step = await stepRequestOf(body, frameSource(context, fromQuery));
        return stepResponse(await context.runner.runStep(session.id, traceId === undefined ? step : { ...step, traceId }), traceId);
      },
    },
    {
      method: 'POST',
      pattern: '/sessions/:id/reset',
      async handle({ request, params }) {
        const session = requireSession(context, params.id!, request);
        const outcome = await context.runner.resetSession(session.id);
        return {
          json: { session_id: session.id, status: outcome.status, message: outcome.message, ...(outcome.errorCode ? { error_code: outcome.errorCode } : {}) },
        };
      },
    },
    {
      method: 'DELETE',
      pattern: '/sessions/:id',
      handle({ request, params }) {
        const session = requireSession(context, params.id!, request);
        context.runner.endSession(session.id);
        return { json: { session_id: session.id, ended: true, steps: session.steps } };
      },
    },
    {
      method: 'POST',
      pattern: '/execute',
      async handle({ request, query }) {
        const { body, fromQuery } = await readStepBody(request, query, context, true);
        checkValueSizes(context, body);
        const step = await stepRequestOf(body, frameSource(context, fromQuery));
        const stepContext = traceContext(request, body.context);
        const trace = requestTrace(request);
        const outcome = await context.runner.runOnce({ pid: body.pid ?? '', ...(stepContext ? { context: stepContext } : {}) }, step);
        trace.sessionId = outcome.sessionId;
        return stepResponse(outcome, trace.traceId);
      },
    },
  ];
}
