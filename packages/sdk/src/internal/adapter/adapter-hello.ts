import { readFileSync } from 'node:fs';
import { encodeFrame } from '@procvision/manifest/framing';
import type { FrameOutput } from './frame-output.js';

/** The protocol version this adapter speaks (docs/spec/protocol.md). */
export const protocolVersion = 1;

/** What the adapter's `hello` announces when the algorithm runs on its main thread (the default). */
export const capabilities: readonly string[] = ['ping', 'call', 'shutdown', 'reset', 'info', 'shared_memory:v1'];

/**
 * What the adapter announces with `--algorithm-thread worker`: `ping_while_busy`, pings are
 * answered while a call runs (worker thread), so the runner may kill on missed pongs at any time.
 */
export const workerCapabilities: readonly string[] = [...capabilities, 'ping_while_busy'];

/** Writes the adapter's `hello` frame; throws when stdout cannot be written. */
export function writeHello(output: FrameOutput, announced: readonly string[]): void {
  output.write(encodeFrame({ type: 'hello', protocol: protocolVersion, sdk_version: sdkVersion(), capabilities: announced, timestamp_ms: Date.now() }));
}

function sdkVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}
