import { HttpError } from '../http-error.js';
import { readJsonBody } from '../read-body.js';
import { createSessionSchema, executeRequestSchema, parseRequest, stepRequestSchema } from '../request-schemas.js';
import type { Route } from '../router.js';
import type { ServiceContext } from '../service-context.js';
import { toFrame } from '../image-input.js';
import { stepResponse } from '../step-response.js';
import type { InspectionSession } from '../../session.js';

function describeSession(context: ServiceContext, session: InspectionSession) {
  const version = context.runner.process(session.packageName)?.info?.version ?? null;
  return { session_id: session.id, pid: session.pid, package: { name: session.packageName, version }, context: session.context, steps: session.steps, state: session.state };
}

function requireSession(context: ServiceContext, id: string): InspectionSession {
  const session = context.runner.session(id);
  if (!session) throw new HttpError('not_found', `no session ${id} (ended, or never created); create one with POST /sessions`);
  return session;
}

/** `/sessions` (create, read, steps, reset, end) and the one-shot `/execute`. */
export function sessionRoutes(context: ServiceContext): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/sessions',
      async handle({ request }) {
        const body = parseRequest(createSessionSchema, await readJsonBody(request, context.limits.jsonBytes), 'session request');
        const packageName = await context.packageFor(body.pid);
        const session = context.runner.createSession({ packageName, pid: body.pid, ...(body.context ? { context: body.context } : {}) });
        return { status: 201, json: describeSession(context, session), headers: { location: `/sessions/${encodeURIComponent(session.id)}` } };
      },
    },
    { method: 'GET', pattern: '/sessions/:id', handle: ({ params }) => ({ json: describeSession(context, requireSession(context, params.id!)) }) },
    {
      method: 'POST',
      pattern: '/sessions/:id/steps',
      async handle({ request, params }) {
        const session = requireSession(context, params.id!);
        const body = parseRequest(stepRequestSchema, await readJsonBody(request, context.limits.jsonBytes), 'step request');
        const frame = await toFrame(body.image, body.image_meta);
        const outcome = await context.runner.runStep(session.id, { stepIndex: body.step_index, frame, ...(body.user_params ? { userParams: body.user_params } : {}) });
        return stepResponse(outcome);
      },
    },
    {
      method: 'POST',
      pattern: '/sessions/:id/reset',
      async handle({ params }) {
        const session = requireSession(context, params.id!);
        const outcome = await context.runner.resetSession(session.id);
        return { json: { session_id: session.id, status: outcome.status, message: outcome.message, ...(outcome.error_code ? { error_code: outcome.error_code } : {}) } };
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
      async handle({ request }) {
        const body = parseRequest(executeRequestSchema, await readJsonBody(request, context.limits.jsonBytes), 'execute request');
        const frame = await toFrame(body.image, body.image_meta);
        const packageName = await context.packageFor(body.pid);
        const session = context.runner.createSession({ packageName, pid: body.pid, ...(body.context ? { context: body.context } : {}) });
        try {
          return stepResponse(await context.runner.runStep(session.id, { stepIndex: body.step_index, frame, ...(body.user_params ? { userParams: body.user_params } : {}) }));
        } finally {
          context.runner.endSession(session.id);
        }
      },
    },
  ];
}
