import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';

/** The paths any caller may reach without a token: liveness (`/health`) and the bare readiness answer of probes (`/readyz`). */
const unauthenticatedPaths: ReadonlySet<string> = new Set(['/health', '/readyz']);

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
function bearerOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/**
 * The authentication check of the service: with a `token`, every request but those to
 * {@link unauthenticatedPaths} must carry `Authorization: Bearer <token>`. Tokens are compared
 * as SHA-256 digests with `timingSafeEqual`, so the time taken says nothing of the token or
 * its length. Without a token (loopback only) every request passes.
 * @throws ProcVisionError 3001 (401 with `WWW-Authenticate: Bearer`) for a missing or wrong token
 */
export function bearerAuthorizer(token: string | undefined): (request: IncomingMessage, pathname: string) => void {
  if (token === undefined) return () => undefined;
  const expected = digest(token);
  return (request, pathname) => {
    if (unauthenticatedPaths.has(pathname)) return;
    const given = bearerOf(request);
    if (given === undefined) {
      throw new ProcVisionError(
        ErrorCodes.unauthorized,
        'this runner requires a bearer token: send the header "Authorization: Bearer <token>" (the token the operator gave the service)',
      );
    }
    if (!timingSafeEqual(digest(given), expected))
      throw new ProcVisionError(ErrorCodes.unauthorized, 'the bearer token is wrong; ask the station operator for the current token');
  };
}
