import { type ErrorCode, type ErrorKind, parseAdapterMessage, type ResultMessage } from '@procvision/manifest';
import { readErrorKind } from './call-outcome.js';

/** What to do with each kind of frame an adapter sends. */
interface AdapterFrameHandlers {
  /** The raw hello: its generation is decided by the handshake (see detectAdapterGeneration). */
  hello: (hello: Record<string, unknown>) => void;
  pong: (requestId: string) => void;
  result: (result: ResultMessage, errorKind: ErrorKind | undefined) => void;
  error: (requestId: string | null, code: ErrorCode, message: string) => void;
  shutdownAck: () => void;
  /** A frame of a type this runner does not know: answer `error`, keep running. */
  unknownType: (reason: string, requestId: string | null) => void;
  /** A known frame type with invalid fields: a protocol violation. */
  invalid: (reason: string, hexPrefix: string) => void;
}

/**
 * Parses one decoded frame from an adapter (manifest's `parseAdapterMessage`) and hands it to
 * its handler. Tolerant where docs/spec/protocol.md asks for it: unknown fields are ignored, results may
 * lack `latency_ms`/`session_state`/`debug` (the Python SDK sends neither), and a hello goes
 * to the handshake as it came (a Python hello has no `protocol`).
 */
export function routeAdapterFrame(raw: Record<string, unknown>, handlers: AdapterFrameHandlers): void {
  if (raw.type === 'hello') return handlers.hello(raw);
  const parsed = parseAdapterMessage(raw);
  if (!parsed.ok) {
    if (parsed.failure === 'unknown-type') return handlers.unknownType(parsed.reason, parsed.requestId);
    return handlers.invalid(parsed.reason, Buffer.from(JSON.stringify(raw).slice(0, 32)).toString('hex'));
  }
  const message = parsed.message;
  switch (message.type) {
    case 'hello':
      return handlers.hello(raw);
    case 'pong':
      return handlers.pong(message.request_id);
    case 'result':
      return handlers.result(message, readErrorKind(raw));
    case 'error':
      return handlers.error(message.request_id, message.error_code, message.message);
    case 'shutdown':
      return handlers.shutdownAck();
  }
}
