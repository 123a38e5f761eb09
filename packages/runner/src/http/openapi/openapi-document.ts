import { z } from 'zod';
import type { Route } from '../router.js';
import { errorBodySchema, routeDocs, type RouteDoc } from './route-docs.js';

/** An OpenAPI 3.1 document (the parts this service writes). */
interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, unknown>;
  security: Array<Record<string, string[]>>;
  tags: Array<{ name: string; description: string }>;
}

/** JSON Schema 2020-12 (the dialect of OpenAPI 3.1) of a zod schema, as the request is written (input side). */
function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** `/packages/:name/:version` -> `/packages/{name}/{version}`. */
export function openApiPath(pattern: string): string {
  return pattern.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function pathParameters(pattern: string): unknown[] {
  return [...pattern.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string' } }));
}

function requestBody(doc: RouteDoc): unknown {
  const body = doc.body;
  if (body === undefined) return undefined;
  const content: Record<string, unknown> = {};
  if (body.json !== undefined) content['application/json'] = { schema: jsonSchema(body.json) };
  if (body.zip === true) {
    content['application/zip'] = { schema: { type: 'string', contentMediaType: 'application/zip' } };
    content['application/octet-stream'] = { schema: { type: 'string', contentMediaType: 'application/zip' } };
  }
  if (body.image === true) {
    content['image/jpeg'] = { schema: { type: 'string', contentMediaType: 'image/jpeg' } };
    content['image/png'] = { schema: { type: 'string', contentMediaType: 'image/png' } };
    content['application/octet-stream'] = {
      schema: {
        type: 'string',
        contentMediaType: 'application/octet-stream',
        description: 'Raw pixels: width x height x channels bytes of the query `format`',
      },
    };
  }
  return { required: body.optional !== true && (body.zip === true || body.image === true), content };
}

function operation(route: Route, doc: RouteDoc): Record<string, unknown> {
  const parameters = [
    ...pathParameters(route.pattern),
    ...Object.entries(doc.query ?? {}).map(([name, description]) => ({ name, in: 'query', required: false, description, schema: { type: 'string' } })),
  ];
  const success =
    doc.success.contentType === undefined
      ? { description: doc.success.description, content: { 'application/json': { schema: { type: 'object' } } } }
      : { description: doc.success.description, content: { [doc.success.contentType]: { schema: { type: 'string' } } } };
  const body = requestBody(doc);
  return {
    operationId: `${route.method.toLowerCase()}${route.pattern.replace(/[/:.]+([a-z])?/g, (_all, letter: string | undefined) => (letter ?? '').toUpperCase()) || 'Root'}`,
    summary: doc.summary,
    tags: [doc.tag],
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(body === undefined ? {} : { requestBody: body }),
    ...(doc.public === true ? { security: [] } : {}),
    responses: { [String(doc.success.status)]: success, default: { $ref: '#/components/responses/Error' } },
  };
}

/**
 * The OpenAPI 3.1 document of exactly these routes (what the router of one service has),
 * with request bodies from the zod schemas the routes validate with.
 * @throws Error naming a route that has no entry in the route table
 */
export function openApiDocument(routes: readonly Route[], version: string): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const key = `${route.method} ${route.pattern}`;
    const doc = routeDocs[key];
    if (doc === undefined) throw new Error(`route ${key} has no entry in http/openapi/route-docs.ts; document it there`);
    const path = openApiPath(route.pattern);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route, doc) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ProcVision runner service',
      version,
      description:
        "Packages, sessions and steps of a ProcVision runner over HTTP. Errors are `{error: {code, name, message}}` with a status mapped from the code; every response carries `X-Request-Id`. Every route accepts a W3C `traceparent` header: its trace-id tags the access line, the runner's and the algorithm's log lines of the request, reaches the algorithm as `session.context.trace_id` and comes back as `trace_id` of a step response.",
    },
    tags: [
      { name: 'health', description: 'Liveness, readiness, metrics' },
      { name: 'inspection', description: 'Sessions and steps' },
      { name: 'packages', description: 'The package store' },
      { name: 'service', description: 'Route list and this document' },
    ],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'The token of `procvision runner serve --token-file` / `PROCVISION_TOKEN`' },
      },
      schemas: { ErrorBody: jsonSchema(errorBodySchema) },
      responses: {
        Error: {
          description: 'An error: `{error: {code, name, message, details?}}`',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
        },
      },
    },
    paths,
  };
}
