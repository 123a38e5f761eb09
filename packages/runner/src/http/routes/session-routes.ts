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

function requireSession(context: ServiceContext, id: string): InspectionSession {
  const session = context.runner.session(id);
  if (!session) throw new HttpError('not_found', `no session ${id} (ended, expired after idling, or never created); create one with POST /sessions`);
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
        const session = await context.runner.openSession({ pid: body.pid, ...(body.context ? { context: body.context } : {}) });
        return { status: 201, json: describeSession(session), headers: { location: `/sessions/${encodeURIComponent(session.id)}` } };
      },
    },
    { method: 'GET', pattern: '/sessions/:id', handle: ({ params }) => ({ json: describeSession(requireSession(context, params.id!)) }) },
    {
      method: 'POST',
      pattern: '/sessions/:id/steps',
      async handle({ request, params, query }) {
        const session = requireSession(context, params.id!);
        const { body, fromQuery } = await readStepBody(request, query, context, false);
        checkValueSizes(context, body);
        return stepResponse(await context.runner.runStep(session.id, await stepRequestOf(body, frameSource(context, fromQuery))));
      },
    },
    {
      method: 'POST',
      pattern: '/sessions/:id/reset',
      async handle({ params }) {
        const session = requireSession(context, params.id!);
        const outcome = await context.runner.resetSession(session.id);
        return {
          json: { session_id: session.id, status: outcome.status, message: outcome.message, ...(outcome.errorCode ? { error_code: outcome.errorCode } : {}) },
        };
      },
    },
    {
      method: 'DELETE',
      pattern: '/sessions/:id',
      handle({ params }) {
        const session = requireSession(context, params.id!);
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
        return stepResponse(await context.runner.runOnce({ pid: body.pid ?? '', ...(body.context ? { context: body.context } : {}) }, step));
      },
    },
  ];
}
