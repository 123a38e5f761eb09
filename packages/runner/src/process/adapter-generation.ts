import { supportedProtocolVersions } from './internal/protocol-versions.js';

/**
 * Which kind of adapter is on the other end, read from its `hello`:
 * - `protocol-1`: docs/spec/protocol.md version 1 (our SDK): `info`, `pre`, `execute`, `reset` calls;
 * - `python-v0.0`: the Python SDK's pre/execute generation (v0.0.x): no `protocol` field,
 *   capabilities without `"execute"`; any phase other than `pre` runs as `execute`;
 * - `python-v0.3`: the Python SDK's execute-only generation (v0.3.x, capability `"execute"`):
 *   one `execute` call per step with current and guide image.
 */
export type AdapterGeneration = 'protocol-1' | 'python-v0.0' | 'python-v0.3';

/** What the runner knows about an adapter after its hello, and how it talks to it. */
export interface AdapterProfile {
  generation: AdapterGeneration;
  /** The protocol major of the hello; undefined for the Python generations (they send none). */
  protocol: number | undefined;
  /** `sdk_version` of the hello (`"unknown"` when absent). */
  sdkVersion: string;
  capabilities: readonly string[];
  /**
   * True when the hello announces `"ping_while_busy"`: pings are answered while a call runs, so
   * missed pongs kill the process at any time. Otherwise heartbeats are checked between calls
   * only and the call's own timeout covers a hang during a call.
   */
  pingWhileBusy: boolean;
  /** Steps, PIDs and param schemas come from an `info` call (true) or from manifest.json (false). */
  hasInfo: boolean;
  /** The adapter runs `reset` calls (announces `"reset"`). */
  hasReset: boolean;
  /** `pre-execute`: a `pre` then an `execute` call per step; `guided-execute`: one v0.3 `execute`. */
  callShape: 'pre-execute' | 'guided-execute';
  /** Frames as shared-memory segments (`segments`) or as `$PROC_SHM_DIR` files with `dev-shm:` ids (`files`). */
  frames: 'segments' | 'files';
}

/** The outcome of {@link detectAdapterGeneration}. */
export type GenerationDecision = { ok: true; profile: AdapterProfile } | { ok: false; message: string };

/**
 * Reads an adapter's first frame (`hello`) and decides its generation: a `protocol` number
 * must be a supported major (an unsupported future major is refused); a hello without
 * `protocol` is a Python SDK adapter when its `capabilities` include `"call"`: v0.3 when they
 * include `"execute"`, v0.0 otherwise. Anything else is refused with a message naming the field.
 */
export function detectAdapterGeneration(hello: Record<string, unknown>): GenerationDecision {
  const capabilities = Array.isArray(hello.capabilities) ? hello.capabilities.filter((item): item is string => typeof item === 'string') : undefined;
  const sdkVersion = typeof hello.sdk_version === 'string' ? hello.sdk_version : 'unknown';
  const has = (name: string) => capabilities?.includes(name) ?? false;
  if (hello.protocol !== undefined) {
    if (typeof hello.protocol !== 'number' || !Number.isFinite(hello.protocol)) {
      return { ok: false, message: `invalid hello message: protocol: expected a number, got ${JSON.stringify(hello.protocol)}` };
    }
    const major = Math.trunc(hello.protocol);
    if (!supportedProtocolVersions.includes(major)) {
      return {
        ok: false,
        message: `adapter speaks protocol ${hello.protocol} but this runner supports ${supportedProtocolVersions.join(', ')}; update the algorithm's SDK or the runner`,
      };
    }
    return {
      ok: true,
      profile: {
        generation: 'protocol-1',
        protocol: major,
        sdkVersion,
        capabilities: capabilities ?? [],
        pingWhileBusy: has('ping_while_busy'),
        hasInfo: true,
        hasReset: true,
        callShape: 'pre-execute',
        frames: 'segments',
      },
    };
  }
  if (capabilities === undefined || !has('call')) {
    return {
      ok: false,
      message: `invalid hello message: no protocol number, and capabilities ${JSON.stringify(hello.capabilities ?? null)} do not name a known Python SDK generation (expected "call")`,
    };
  }
  const v03 = has('execute');
  return {
    ok: true,
    profile: {
      generation: v03 ? 'python-v0.3' : 'python-v0.0',
      protocol: undefined,
      sdkVersion,
      capabilities,
      pingWhileBusy: has('ping_while_busy'),
      hasInfo: has('info'),
      hasReset: has('reset'),
      callShape: v03 ? 'guided-execute' : 'pre-execute',
      frames: 'files',
    },
  };
}
