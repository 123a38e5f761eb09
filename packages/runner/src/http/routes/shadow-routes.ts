import type { ShadowRuns } from '../../records/shadow-runs.js';
import { readJsonBody } from '../read-body.js';
import { parseRequest, shadowStartSchema } from '../request-schemas.js';
import type { Route } from '../router.js';
import type { ServiceContext } from '../service-context.js';

/**
 * `GET /shadow` (the counters of every shadow run, once the frames queued are compared),
 * `POST /shadow` (start one: a candidate on a PID's live frames), `DELETE /shadow/:pid` (stop it,
 * with its final counters).
 */
export function shadowRoutes(context: ServiceContext, shadows: ShadowRuns): Route[] {
  return [
    { method: 'GET', pattern: '/shadow', handle: async () => ({ json: { shadows: await shadows.list(true) } }) },
    {
      method: 'POST',
      pattern: '/shadow',
      async handle({ request }) {
        const body = parseRequest(shadowStartSchema, await readJsonBody(request, context.limits.jsonBytes, context.limits.maxJsonDepth), 'shadow request');
        const shadow = await shadows.start({
          name: body.name,
          version: body.version,
          pid: body.pid,
          ...(body.queue === undefined ? {} : { queueLimit: body.queue }),
        });
        return { status: 201, json: { shadow } };
      },
    },
    { method: 'DELETE', pattern: '/shadow/:pid', handle: async ({ params }) => ({ json: { shadow: await shadows.stop(params.pid!) } }) },
  ];
}
