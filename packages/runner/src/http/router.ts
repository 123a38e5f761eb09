import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/** An HTTP method the service answers. */
export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** What a route handler gets. */
export interface RouteRequest {
  request: IncomingMessage;
  /** Path parameters by name (`:name` in the pattern), URI-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
}

/** What a route handler returns: a JSON body, or a text body with its content type. */
export type RouteResponse =
  { status?: number; json: unknown; headers?: Record<string, string> } | { status?: number; text: string; contentType: string } | { status: 204 };

/** One route: method, path pattern (`/packages/:name/:version`), handler. */
export interface Route {
  method: HttpMethod;
  pattern: string;
  handle: (request: RouteRequest) => Promise<RouteResponse> | RouteResponse;
}

/** A route found for a request, with its parameters. */
interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

function matchPattern(pattern: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').filter(Boolean);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index]!;
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return undefined;
  }
  return params;
}

/**
 * Finds the route of a method and path.
 * @throws HttpError 404 when no pattern matches the path, 405 (with `Allow`) when only the method is wrong
 */
export function findRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch {
  let segments: string[];
  try {
    segments = pathname
      .split('/')
      .filter(Boolean)
      .map((segment) => decodeURIComponent(segment));
  } catch {
    throw new HttpError('not_found', `no route for ${pathname}: the path is not valid URI encoding`);
  }
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (params === undefined) continue;
    // HEAD is GET without the body (node:http drops the body of a HEAD answer).
    if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params };
    allowed.push(route.method);
    if (route.method === 'GET') allowed.push('HEAD');
  }
  if (allowed.length === 0) throw new HttpError('not_found', `no route for ${method} ${pathname}; see GET / for the list of routes`);
  const allow = [...new Set(allowed)].join(', ');
  throw new HttpError('method_not_allowed', `${method} is not allowed on ${pathname}; allowed: ${allow}`, { headers: { allow } });
}
