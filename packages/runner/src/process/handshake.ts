import type { RunnerConfig } from '@procvision/manifest';
import { createDeferred } from './internal/deferred.js';
import { runnerVersion } from '../internal/runner-version.js';

/** The protocol versions this runner speaks (docs/spec/protocol.md: version 1). */
export const supportedProtocolVersions: readonly number[] = [1];

/** The adapter's hello, as far as the handshake needs it. */
export interface AdapterHelloFields {
  protocol: number;
  sdk_version?: string;
  capabilities?: readonly string[];
}

/** What to answer an adapter's hello: the runner's hello, or a refusal. */
export type HandshakeDecision =
  | { ok: true; reply: { type: 'hello'; protocol: number; runner_version: string; heartbeat_interval_ms: number; heartbeat_grace_ms: number } }
  | { ok: false; message: string };

/**
 * Checks an adapter's `hello` and builds the runner's reply (docs/spec/protocol.md, "Handshake"):
 * an unsupported major version is refused with a message naming both versions.
 */
export function answerHello(hello: AdapterHelloFields, config: Pick<RunnerConfig, 'heartbeat_interval_ms' | 'heartbeat_grace_ms'>): HandshakeDecision {
  const major = Math.trunc(hello.protocol);
  if (!supportedProtocolVersions.includes(major)) {
    return {
      ok: false,
      message: `adapter speaks protocol ${hello.protocol} but this runner supports ${supportedProtocolVersions.join(', ')}; update the algorithm's SDK or the runner`,
    };
  }
  return {
    ok: true,
    reply: {
      type: 'hello',
      protocol: major,
      runner_version: runnerVersion,
      heartbeat_interval_ms: config.heartbeat_interval_ms,
      heartbeat_grace_ms: config.heartbeat_grace_ms,
    },
  };
}

/** The result of a handshake: done, or why not. */
export type HandshakeResult = { ok: true } | { ok: false; message: string };

/**
 * The runner's side of one adapter's handshake: answers the first hello (or refuses it with an
 * `error` and a `shutdown`), ignores later ones, and lets start-up wait for the outcome.
 */
export class Handshake {
  private readonly outcome = createDeferred<HandshakeResult>();
  private done = false;

  constructor(
    private readonly config: Pick<RunnerConfig, 'heartbeat_interval_ms' | 'heartbeat_grace_ms'>,
    private readonly send: (message: object) => void,
  ) {}

  /** True once the adapter's hello arrived. */
  get greeted(): boolean {
    return this.done;
  }

  /** Handles an adapter hello; false for a repeated one (ignored). */
  receive(hello: AdapterHelloFields): boolean {
    if (this.done) return false;
    this.done = true;
    const decision = answerHello(hello, this.config);
    if (decision.ok) {
      this.send(decision.reply);
      this.outcome.resolve({ ok: true });
      return true;
    }
    this.send({ type: 'error', request_id: null, status: 'ERROR', message: decision.message, error_code: '9999' });
    this.send({ type: 'shutdown' });
    this.outcome.resolve({ ok: false, message: decision.message });
    return true;
  }

  /** Ends the wait without a handshake (the process died or broke). */
  fail(message: string): void {
    this.outcome.resolve({ ok: false, message });
  }

  /** Waits at most `timeoutMs` for the handshake. */
  async wait(timeoutMs: number): Promise<HandshakeResult> {
    const timer = setTimeout(() => this.fail(`no hello from the adapter within ${timeoutMs} ms`), timeoutMs);
    const result = await this.outcome.promise;
    clearTimeout(timer);
    return result;
  }
}
