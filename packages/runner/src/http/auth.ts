import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import type { TokenSet } from './service-token.js';

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
 * The authentication check of the service: with a `token` (or a set of tokens, several during a
 * rotation), every request but those to {@link unauthenticatedPaths} must carry
 * `Authorization: Bearer <token>`. Tokens are compared
 * as SHA-256 digests with `timingSafeEqual`, so the time taken says nothing of the token or
 * its length. Without a token (loopback only) every request passes.
 * @throws ProcVisionError 3001 (401 with `WWW-Authenticate: Bearer`) for a missing or wrong token
 */
export function bearerAuthorizer(token: string | TokenSet | undefined): (request: IncomingMessage, pathname: string) => void {
  if (token === undefined) return () => undefined;
  const fixed = typeof token === 'string' ? [digest(token)] : undefined;
  let seen: readonly string[] = [];
  let digests: Buffer[] = [];
  const expected = (): Buffer[] => {
    if (fixed !== undefined || typeof token === 'string') return fixed ?? [];
    const current = token.current();
    if (current !== seen) {
      seen = current;
      digests = current.map(digest);
    }
    return digests;
  };
  return (request, pathname) => {
    if (unauthenticatedPaths.has(pathname)) return;
    const given = bearerOf(request);
    if (given === undefined) {
      throw new ProcVisionError(
        ErrorCodes.unauthorized,
        'this runner requires a bearer token: send the header "Authorization: Bearer <token>" (the token the operator gave the service)',
      );
    }
    const givenDigest = digest(given);
    // Every accepted token is compared (no early exit): the time says nothing of which one matched.
    const matches = expected().reduce((found, candidate) => timingSafeEqual(givenDigest, candidate) || found, false);
    if (!matches) throw new ProcVisionError(ErrorCodes.unauthorized, 'the bearer token is wrong; ask the station operator for the current token');
  };
}
