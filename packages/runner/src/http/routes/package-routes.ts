import type { IncomingMessage } from 'node:http';
import { ErrorCodes, ProcVisionError } from '@procvision/manifest';
import { readJsonBody } from '../read-body.js';
import {
  activateRequestSchema,
  deactivateRequestSchema,
  parseRequest,
  restoreRequestSchema,
  rollbackRequestSchema,
  switchRequestSchema,
} from '../request-schemas.js';
import type { Route, RouteRequest } from '../router.js';
import type { ServiceContext } from '../service-context.js';
import type { ServiceStore } from '../service-store.js';
import { withRequestZip } from './zip-upload.js';

/**
 * The zip file name a client sent with its upload (`Content-Disposition: attachment;
 * filename="screw-check-v1.2.0-linux-x64-glibc-offline.zip"`): a plain `*.zip` name, no folder;
 * anything else is ignored (the delivery name is used).
 */
function uploadFileName(request: IncomingMessage): { fileName: string } | undefined {
  const header = request.headers['content-disposition'];
  const match = header === undefined ? null : /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  const name = match?.[1]?.trim();
  return name !== undefined && /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.zip$/.test(name) ? { fileName: name } : undefined;
}

function isTrue(value: string | null): boolean {
  return value !== null && ['1', 'true', 'yes', ''].includes(value.toLowerCase());
}

/** The store routes: list, install, activate, restart, switch, rollback, bindings, deactivate, restore, uninstall, scan. */
export function packageRoutes(context: ServiceContext, store: ServiceStore): Route[] {
  const readBody = ({ request }: RouteRequest) => readJsonBody(request, context.limits.jsonBytes, context.limits.maxJsonDepth);
  const routes: Route[] = [
    { method: 'GET', pattern: '/packages', handle: async () => ({ json: { packages: await store.list() } }) },
    {
      method: 'POST',
      pattern: '/packages',
      handle: async ({ request }) => ({
        status: 201,
        json: {
          package: await withRequestZip(context, request, (zipPath, uploaded) =>
            store.install(zipPath, uploaded ? { archive: uploadFileName(request) ?? { deliveryName: true } } : {}),
          ),
        },
      }),
    },
    {
      method: 'POST',
      pattern: '/packages/:name/:version/activate',
      async handle(route) {
        const body = parseRequest(activateRequestSchema, await readBody(route), 'activate request');
        const bindings = await store.activate(route.params.name!, route.params.version!, body.pids);
        await context.watchPids(body.pids);
        return { json: { bindings } };
      },
    },
    {
      method: 'POST',
      pattern: '/packages/:name/:version/restart',
      async handle({ params }) {
        if (store.restart === undefined) throw new ProcVisionError(ErrorCodes.packageNotInstalled, 'this service store cannot restart packages');
        const restarted = await store.restart(params.name!, params.version!);
        const bindings = await store.bindings();
        await context.watchPids(Object.keys(bindings).filter((pid) => bindings[pid]?.name === params.name && bindings[pid]?.version === params.version));
        return { json: { package: restarted } };
      },
    },
    {
      method: 'DELETE',
      pattern: '/packages/:name/:version',
      handle: async ({ params, query }) => ({
        json: { uninstalled: await store.uninstall(params.name!, params.version!, { force: isTrue(query.get('force')) }) },
      }),
    },
    {
      method: 'POST',
      pattern: '/switch',
      async handle(route) {
        const body = parseRequest(switchRequestSchema, await readBody(route), 'switch request');
        const bindings = await store.switch(body.name, body.version, body.pids);
        await context.watchPids(body.pids);
        return { json: { bindings } };
      },
    },
    {
      method: 'POST',
      pattern: '/rollback',
      async handle(route) {
        const body = parseRequest(rollbackRequestSchema, await readBody(route), 'rollback request');
        const bindings = await store.rollback(body.name, body.pids);
        await context.watchPids(body.pids);
        return { json: { bindings } };
      },
    },
    { method: 'GET', pattern: '/bindings', handle: async () => ({ json: { bindings: await store.bindings() } }) },
    {
      method: 'POST',
      pattern: '/deactivate',
      async handle(route) {
        const body = parseRequest(deactivateRequestSchema, await readBody(route), 'deactivate request');
        return { json: { bindings: await store.deactivate(body.name, body.version, body.pids) } };
      },
    },
    {
      method: 'POST',
      pattern: '/restore',
      async handle(route) {
        const body = parseRequest(restoreRequestSchema, await readBody(route), 'restore request');
        const bindings = await store.restore(body.name, body.version, body.bindings);
        const pids = Object.keys(body.bindings).filter((pid) => body.bindings[pid] !== null);
        if (pids.length > 0) await context.watchPids(pids);
        return { json: { bindings } };
      },
    },
  ];
  routes.push({ method: 'POST', pattern: '/scan', handle: async () => ({ json: { outcomes: await store.scan() } }) });
  return routes;
}
