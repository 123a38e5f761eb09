import type { RunnerConfig } from '@procvision/manifest';
import { type AdapterProfile, detectAdapterGeneration } from './adapter-generation.js';
import { createDeferred } from './internal/deferred.js';
import { runnerVersion } from '../internal/runner-version.js';
import { ErrorCodes } from '@procvision/manifest';

/** The runner's reply to an accepted hello. */
interface RunnerHelloReply {
  type: 'hello';
  protocol: number;
  runner_version: string;
  heartbeat_interval_ms: number;
  heartbeat_grace_ms: number;
}

/** What to answer an adapter's hello: the runner's hello and the adapter's profile, or a refusal. */
type HandshakeDecision = { ok: true; profile: AdapterProfile; reply: RunnerHelloReply } | { ok: false; message: string };

/**
 * Checks an adapter's `hello` (its generation, see {@link detectAdapterGeneration}) and builds
 * the runner's reply (docs/spec/protocol.md, "Handshake"). The Python generations ignore the reply's
 * fields but read it as a frame, so every accepted adapter gets the same reply.
 */
function answerHello(hello: Record<string, unknown>, config: Pick<RunnerConfig, 'heartbeat_interval_ms' | 'heartbeat_grace_ms'>): HandshakeDecision {
  const decision = detectAdapterGeneration(hello);
  if (!decision.ok) return decision;
  return {
    ok: true,
    profile: decision.profile,
    reply: {
      type: 'hello',
      protocol: decision.profile.protocol ?? 1,
      runner_version: runnerVersion,
      heartbeat_interval_ms: config.heartbeat_interval_ms,
      heartbeat_grace_ms: config.heartbeat_grace_ms,
    },
  };
}

/** The result of a handshake: the adapter's profile, or why there is none. */
export type HandshakeResult = { ok: true; profile: AdapterProfile } | { ok: false; message: string };

/**
 * The runner's side of one adapter's handshake: answers the first hello (or refuses it with an
 * `error` and a `shutdown`), ignores later ones, and lets start-up wait for the outcome.
 */
export class Handshake {
  private readonly outcome = createDeferred<HandshakeResult>();
  private done = false;
  private accepted: AdapterProfile | undefined;

  constructor(
    private readonly config: Pick<RunnerConfig, 'heartbeat_interval_ms' | 'heartbeat_grace_ms'>,
    private readonly send: (message: object) => void,
  ) {}

  /** True once the adapter's hello arrived. */
  get greeted(): boolean {
    return this.done;
  }

  /** The accepted adapter's profile (undefined before the handshake or after a refusal). */
  get profile(): AdapterProfile | undefined {
    return this.accepted;
  }

  /** Handles an adapter hello; false for a repeated one (ignored). */
  receive(hello: Record<string, unknown>): boolean {
    if (this.done) return false;
    this.done = true;
    const decision = answerHello(hello, this.config);
    if (decision.ok) {
      this.accepted = decision.profile;
      this.send(decision.reply);
      this.outcome.resolve({ ok: true, profile: decision.profile });
      return true;
    }
    this.send({ type: 'error', request_id: null, status: 'ERROR', message: decision.message, error_code: ErrorCodes.unknownError });
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
