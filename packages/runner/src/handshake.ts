import type { RunnerConfig } from '@procvision/manifest';
import { runnerVersion } from './internal/runner-version.js';

/** The protocol versions this runner speaks (protocol.md: version 1). */
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
 * Checks an adapter's `hello` and builds the runner's reply (protocol.md, "Handshake"):
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
