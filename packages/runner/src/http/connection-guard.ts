import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

/** Connection limits of {@link guardConnections}. */
interface ConnectionGuardLimits {
  /** Connections served normally at once (all clients). */
  maxConnections: number;
  /** Connections served normally at once from one remote address. */
  maxConnectionsPerClient: number;
  /** How long a restricted connection may live (ms). */
  restrictedConnectionMs: number;
}

/** The probe path a restricted connection may still ask for. */
const probePath = '/health';

/** The connection-slot policy of a server, as the request handler consults it. */
export interface ConnectionGuard {
  /** Whether this request arrived on a connection beyond a cap (only `/health` is served on it). */
  isRestricted(request: IncomingMessage): boolean;
  /** Whether a path may be served on a restricted connection. */
  isProbe(pathname: string): boolean;
}

/**
 * Connection slots that slow or unauthenticated clients cannot exhaust for the probes. Up to
 * `maxConnections` (and `maxConnectionsPerClient` per remote address) connections are served
 * normally; one beyond either cap is still accepted, but *restricted*: it lives at most
 * `restrictedConnectionMs` and may only ask `/health` (anything else is answered 503 with
 * `Connection: close`). So `/health` answers while every normal slot is held, and a client
 * cannot take more than its share. Beyond 4 x `maxConnections` connections are dropped at once
 * (file descriptors stay bounded).
 */
export function guardConnections(server: Server, limits: ConnectionGuardLimits): ConnectionGuard {
  const restricted = new WeakSet<Socket>();
  const perClient = new Map<string, number>();
  let total = 0;
  const hardCap = limits.maxConnections * 4;
  server.on('connection', (socket: Socket) => {
    const client = socket.remoteAddress ?? 'unknown';
    total += 1;
    const fromClient = (perClient.get(client) ?? 0) + 1;
    perClient.set(client, fromClient);
    socket.once('close', () => {
      total -= 1;
      const left = (perClient.get(client) ?? 1) - 1;
      if (left <= 0) perClient.delete(client);
      else perClient.set(client, left);
    });
    if (total > hardCap) {
      socket.destroy();
      return;
    }
    if (total > limits.maxConnections || fromClient > limits.maxConnectionsPerClient) {
      restricted.add(socket);
      socket.setTimeout(limits.restrictedConnectionMs, () => socket.destroy());
    }
  });
  return {
    isRestricted: (request) => restricted.has(request.socket),
    isProbe: (pathname) => pathname === probePath,
  };
}
