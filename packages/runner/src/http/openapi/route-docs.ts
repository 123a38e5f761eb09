import { z } from 'zod';
import {
  activateRequestSchema,
  createSessionSchema,
  deactivateRequestSchema,
  executeRequestSchema,
  restoreRequestSchema,
  rollbackRequestSchema,
  stepRequestSchema,
  switchRequestSchema,
  zipPathRequestSchema,
} from '../request-schemas.js';

/** What a request body of a route may be: a JSON document of a zod schema, or a delivery zip upload. */
export interface BodyDoc {
  /** The zod schema the route validates its JSON body with. */
  json?: z.ZodType;
  /** The route also takes the zip bytes (`application/zip`). */
  zip?: boolean;
  /** The body may also be the image itself (`image/jpeg`, `image/png`, raw pixels as `application/octet-stream`), the other fields in the query or headers. */
  image?: boolean;
  /** True when the body may be left out (an empty body reads as `{}`). */
  optional?: boolean;
}

/** The query fields of a step whose body is the image (each also an `X-ProcVision-<Field>` header, e.g. `X-ProcVision-Step-Index`). */
function imageBodyQuery(oneShot: boolean): Record<string, string> {
  const also = ' (image bodies only; or the X-ProcVision-<Field> header)';
  return {
    ...(oneShot ? { pid: `Product id${also}`, context: `Session context, JSON${also}` } : {}),
    step_index: `Step index${also}`,
    user_params: `User params, JSON${also}`,
    width: `Width in pixels; required for application/octet-stream${also}`,
    height: `Height in pixels; required for application/octet-stream${also}`,
    format: `GRAY8, RGB8 or BGR8: raw pixels, row-major, no padding; required for application/octet-stream${also}`,
    camera_id: `Camera id${also}`,
    timestamp_ms: `Capture time, ms since the epoch${also}`,
    guide_info: `Guide info of a Python v0.3 step, JSON${also}`,
    step_desc: `Step description of a Python v0.3 step${also}`,
  };
}

/** The documentation of one route, keyed in {@link routeDocs} by `METHOD pattern`. */
export interface RouteDoc {
  summary: string;
  tag: 'health' | 'packages' | 'inspection' | 'service';
  /** The success status and what it carries. */
  success: { status: number; description: string; contentType?: string };
  body?: BodyDoc;
  /** Query parameters (name -> description), all optional booleans or strings. */
  query?: Record<string, string>;
  /** True for the routes anyone may call without the bearer token (`/health`). */
  public?: boolean;
}

/** The JSON body of every error response (see `ErrorBody`). */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().describe('a ProcVision error code ("2006") or an HTTP-layer code ("not_found")'),
    name: z.string().describe('the symbolic name ("activation_conflict")'),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

const zipBody: BodyDoc = { zip: true, json: zipPathRequestSchema };

/**
 * One entry per route the service can have (the store routes exist only with a store). The
 * OpenAPI document is built from this table and the zod schemas the routes validate with; a
 * route without an entry makes the document fail to build, and a test compares the table
 * with the router's routes.
 */
export const routeDocs: Readonly<Record<string, RouteDoc>> = {
  'GET /': { summary: 'The service name and its routes', tag: 'service', success: { status: 200, description: '`{service, routes: ["GET /health", ...]}`' } },
  'GET /openapi.json': { summary: 'This OpenAPI 3.1 document', tag: 'service', success: { status: 200, description: 'The OpenAPI document of this service' } },
  'GET /health': {
    summary: 'Liveness: the process answers; 503 once every active package has been failing longer than failed_liveness_ms',
    tag: 'health',
    public: true,
    success: {
      status: 200,
      description: '`{status: "ok", pid, uptime_s}`; 503 `{status: "failing", pid, uptime_s, reasons}` naming each failing package and why',
    },
  },
  'GET /ready': {
    summary: 'Readiness: store open and every active package process ready (503 otherwise)',
    tag: 'health',
    success: { status: 200, description: 'A ReadinessReport `{ready, reasons, packages}`' },
  },
  'GET /readyz': {
    summary: 'Readiness for probes: {ready} only, no token needed (503 when not ready)',
    tag: 'health',
    public: true,
    success: { status: 200, description: '`{ready: true}`' },
  },
  'GET /metrics': {
    summary: 'Prometheus metrics (text exposition format 0.0.4)',
    tag: 'health',
    success: { status: 200, description: 'Prometheus text', contentType: 'text/plain' },
  },
  'GET /records': {
    summary: 'Recorded steps (headers, no frames), oldest first, with the recorder counters per pid',
    tag: 'inspection',
    query: { pid: 'only this product id', since: 'only records at or after this ISO 8601 time', last: 'the newest N (default 1000, at most 10000)' },
    success: { status: 200, description: '`{records: [{id, at, pid, package, step_index, verdict, ...}], torn_segments, stats}`' },
  },
  'POST /sessions': {
    summary: 'Create an inspection session for a product id',
    tag: 'inspection',
    body: { json: createSessionSchema },
    success: { status: 201, description: 'The session `{session_id, pid, package, context, steps, state}`' },
  },
  'GET /sessions/:id': { summary: 'Read a session', tag: 'inspection', success: { status: 200, description: 'The session' } },
  'POST /sessions/:id/steps': {
    summary: 'Run one step of a session on an image',
    tag: 'inspection',
    body: { json: stepRequestSchema, image: true },
    query: imageBodyQuery(false),
    success: { status: 200, description: 'A StepResponseBody (`status`, `result_status`, `pre_execute`, `execute`, ...)' },
  },
  'POST /sessions/:id/reset': {
    summary: "Reset a session's state and call the algorithm's reset",
    tag: 'inspection',
    success: { status: 200, description: '`{session_id, status, message}`' },
  },
  'DELETE /sessions/:id': { summary: 'End a session', tag: 'inspection', success: { status: 200, description: '`{session_id, ended: true, steps}`' } },
  'POST /execute': {
    summary: 'One-shot step: a session of one step',
    tag: 'inspection',
    body: { json: executeRequestSchema, image: true },
    query: imageBodyQuery(true),
    success: { status: 200, description: 'A StepResponseBody' },
  },
  'POST /validate': {
    summary: 'Verify a delivery zip and check its target against this machine, without installing',
    tag: 'packages',
    body: zipBody,
    success: { status: 200, description: '`{valid, name, version, supported_pids, target, compatible, signature, ...}`' },
  },
  'GET /packages': { summary: 'Installed packages with states and active pids', tag: 'packages', success: { status: 200, description: '`{packages: [...]}`' } },
  'POST /packages': {
    summary: 'Install a delivery zip offline',
    tag: 'packages',
    body: zipBody,
    success: { status: 201, description: '`{package: RegistryEntry}`' },
  },
  'POST /packages/:name/:version/activate': {
    summary: 'Bind pids to an installed version (its process is ready before the pointer flips)',
    tag: 'packages',
    body: { json: activateRequestSchema },
    success: { status: 200, description: '`{bindings}`' },
  },
  'POST /packages/:name/:version/restart': {
    summary: 'Restart the process of an installed version afresh (a failed package heals without a service restart)',
    tag: 'packages',
    success: { status: 200, description: '`{package: StorePackage}` with its live state' },
  },
  'DELETE /packages/:name/:version': {
    summary: 'Uninstall a version (refused while active unless force)',
    tag: 'packages',
    query: { force: 'uninstall even when active (`1`, `true`, `yes`)' },
    success: { status: 200, description: '`{uninstalled: RegistryEntry}`' },
  },
  'POST /switch': {
    summary: "Activate a version over the pids' current binding",
    tag: 'packages',
    body: { json: switchRequestSchema },
    success: { status: 200, description: '`{bindings}`' },
  },
  'POST /rollback': {
    summary: 'Re-activate the previous version recorded for each pid',
    tag: 'packages',
    body: { json: rollbackRequestSchema },
    success: { status: 200, description: '`{bindings}`' },
  },
  'GET /bindings': {
    summary: 'Every pid binding with its activation time and previous version (active.json)',
    tag: 'packages',
    success: { status: 200, description: '`{bindings: {pid: {name, version, activated_at, previous}}}`' },
  },
  'POST /deactivate': {
    summary: 'Unbind pids bound to a version (the undo of a first activation)',
    tag: 'packages',
    body: { json: deactivateRequestSchema },
    success: { status: 200, description: '`{bindings}`' },
  },
  'POST /restore': {
    summary: 'Undo an activation: give pids back exactly the bindings they had (null: none)',
    tag: 'packages',
    body: { json: restoreRequestSchema },
    success: { status: 200, description: '`{bindings}`' },
  },
  'GET /state': {
    summary: 'Desired state vs actual per pid, the last reconcile and its error (repository: null without one)',
    tag: 'packages',
    success: { status: 200, description: '`{repository, in_sync, pids: [{pid, desired, actual, status, reason?}], last_reconcile, last_error, unmanaged}`' },
  },
  'POST /reconcile': {
    summary: 'Reconcile the store with the repository now (404 without a repository)',
    tag: 'packages',
    success: { status: 200, description: 'the state after the reconcile (as `GET /state`)' },
  },
  'POST /scan': {
    summary: "Install the zips dropped into the store's zip folder",
    tag: 'packages',
    success: { status: 200, description: '`{outcomes: [...]}`' },
  },
};
