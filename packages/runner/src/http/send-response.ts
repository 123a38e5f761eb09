import type { ServerResponse } from 'node:http';
import type { RouteResponse } from './router.js';

/** Writes a route's response: JSON (`application/json`), text with its type, or an empty 204. */
export function sendResponse(response: ServerResponse, result: RouteResponse, extraHeaders: Record<string, string> = {}): number {
  const status = result.status ?? 200;
  if ('text' in result) {
    response.writeHead(status, { ...extraHeaders, 'content-type': result.contentType, 'content-length': Buffer.byteLength(result.text) });
    response.end(result.text);
  } else if ('json' in result) {
    const text = JSON.stringify(result.json);
    response.writeHead(status, {
      ...extraHeaders,
      ...result.headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  } else {
    response.writeHead(status, extraHeaders);
    response.end();
  }
  return status;
}
