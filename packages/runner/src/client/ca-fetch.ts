import type { IncomingHttpHeaders } from 'node:http';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

/**
 * A fetch for `https:` URLs that trusts `ca` (PEM) besides nothing else: the runner's
 * self-signed or private-CA certificate. node:https is imported on first use, so the client
 * still loads where only fetch exists.
 */
export function caFetch(ca: string | Buffer): typeof fetch {
  return async (input, init = {}) => {
    const [{ request }, { Readable }] = await Promise.all([import('node:https'), import('node:stream')]);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const body = init.body;
    const signal = init.signal ?? undefined;
    return new Promise<Response>((resolve, reject) => {
      const outgoing = request(
        url,
        { method: init.method ?? 'GET', headers: init.headers as Record<string, string>, ca, ...(signal === undefined ? {} : { signal }) },
        (incoming) => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers as IncomingHttpHeaders))
            if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
          const status = incoming.statusCode ?? 0;
          const stream = Readable.toWeb(incoming) as ReadableStream<Uint8Array>;
          resolve(new Response(status === 204 || status === 304 ? null : stream, { status, statusText: incoming.statusMessage ?? '', headers }));
        },
      );
      outgoing.on('error', (error) => reject(signal?.aborted === true ? (signal.reason as Error) : error));
      if (body === undefined || body === null) outgoing.end();
      else if (typeof body === 'string' || body instanceof Uint8Array) outgoing.end(body);
      else if (body instanceof Blob) Readable.fromWeb(body.stream() as NodeReadableStream).pipe(outgoing);
      else reject(new TypeError('unsupported request body'));
    });
  };
}
