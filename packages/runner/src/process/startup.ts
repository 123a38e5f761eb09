import { type AlgorithmInfo, parseAlgorithmInfo, ProcVisionError, type RunnerConfig, ErrorCodes } from '@procvision/manifest';
import type { AdapterConnection } from './adapter-connection.js';
import type { AdapterProfile } from './adapter-generation.js';
import type { ProcessIdentity, RunnerEvents } from './events.js';
import type { ConnectionAttempt } from './internal/connection-gate.js';
import { runnerLogEntry } from './internal/runner-log.js';
import type { TypedEmitter } from './internal/typed-emitter.js';
import type { RunnerLogger } from '../logger.js';

/** What {@link bringUp} needs besides the connection. */
interface BringUpOptions {
  config: RunnerConfig;
  identity: ProcessIdentity;
  events: TypedEmitter<RunnerEvents>;
  logger: RunnerLogger;
  /** Where steps, PIDs and params come from for an adapter without `info` (its manifest.json). */
  manifestInfo: () => AlgorithmInfo;
}

/** A started process (with its `getInfo()`), or why it did not start. */
type BringUpOutcome =
  { ok: true; info: AlgorithmInfo; profile: AdapterProfile; coldStartMs: number; helloMs: number } | Extract<ConnectionAttempt, { ok: false }>;

/**
 * Start-up of a freshly spawned adapter (docs/spec/protocol.md, "Handshake and start-up"): wait for its
 * hello and answer it, start the heartbeat, then send an `info` call, which the adapter
 * answers once `setup()` finished. All of it within `startup_timeout_ms` of the spawn.
 * A failure ends the process (if it is still there) and carries the adapter's own error code
 * when it reported one (1003 for a missing asset), 1005 otherwise.
 *
 * An adapter without `info` in its hello (the Python SDK) is ready when it answers a first
 * `ping` (it reads frames only after import and setup); its steps, PIDs and param schemas come
 * from manifest.json, and its heartbeat starts only then (a slow import is not a hang).
 */
export async function bringUp(connection: AdapterConnection, options: BringUpOptions): Promise<BringUpOutcome> {
  const startedAt = performance.now();
  const { config } = options;
  const hello = await connection.waitForHandshake(config.startup_timeout_ms);
  if (!hello.ok) return fail(connection, ErrorCodes.timeout, hello.message);
  const helloMs = performance.now() - startedAt;
  const { profile } = hello;
  const timeoutMs = Math.max(1, Math.round(config.startup_timeout_ms - (performance.now() - startedAt)));
  if (!profile.hasInfo) return bringUpWithoutInfo(connection, options, profile, timeoutMs, { startedAt, helloMs });
  connection.startHeartbeat();
  const attempt = await connection.call({ phase: 'info' }, { timeoutMs, sessionId: null }).outcome;
  if (attempt.kind === 'failure') return fail(connection, attempt.code, `start-up failed: ${attempt.message}`);
  const { result } = attempt;
  if (result.status === 'ERROR')
    return fail(connection, result.error_code ?? ErrorCodes.unknownError, `start-up failed: getInfo()/setup() returned ERROR: ${result.message}`);
  let parsed: ReturnType<typeof parseAlgorithmInfo>;
  try {
    parsed = parseAlgorithmInfo(result.data, { source: `${options.identity.packageName} getInfo()` });
  } catch (error) {
    return fail(connection, ProcVisionError.isInstance(error) ? error.code : ErrorCodes.unknownError, (error as Error).message);
  }
  const warnings = [...parsed.warnings, ...identityMismatch(parsed.info, options.identity)];
  for (const warning of warnings) {
    options.logger.log(runnerLogEntry('warn', warning, { ...options.identity, sessionId: null, processId: connection.processId }));
  }
  const coldStartMs = performance.now() - startedAt;
  options.events.emit('process-ready', { ...options.identity, processId: connection.processId, coldStartMs, helloMs });
  return { ok: true, info: parsed.info, profile, coldStartMs, helloMs };
}

async function bringUpWithoutInfo(
  connection: AdapterConnection,
  options: BringUpOptions,
  profile: AdapterProfile,
  timeoutMs: number,
  { startedAt, helloMs }: { startedAt: number; helloMs: number },
): Promise<BringUpOutcome> {
  const pong = await connection.waitForPong(timeoutMs);
  if (!pong.ok) return fail(connection, ErrorCodes.timeout, `start-up failed: ${pong.message}`);
  let info: AlgorithmInfo;
  try {
    info = options.manifestInfo();
  } catch (error) {
    return fail(connection, ProcVisionError.isInstance(error) ? error.code : ErrorCodes.unknownError, (error as Error).message);
  }
  connection.startHeartbeat();
  const coldStartMs = performance.now() - startedAt;
  options.events.emit('process-ready', { ...options.identity, processId: connection.processId, coldStartMs, helloMs });
  return { ok: true, info, profile, coldStartMs, helloMs };
}

function fail(connection: AdapterConnection, fallbackCode: Extract<ConnectionAttempt, { ok: false }>['code'], message: string): BringUpOutcome {
  const reported = connection.reportedError;
  const alive = connection.child.exitCode === null && connection.child.signalCode === null;
  if (alive) connection.endWithFault('startup-failed', reported?.message ?? message);
  return { ok: false, reason: 'startup-failed', code: reported?.code ?? fallbackCode, message: reported ? `start-up failed: ${reported.message}` : message };
}

function identityMismatch(info: AlgorithmInfo, identity: ProcessIdentity): string[] {
  const warnings: string[] = [];
  if (info.name !== identity.packageName)
    warnings.push(`getInfo().name is ${JSON.stringify(info.name)} but the package is ${JSON.stringify(identity.packageName)}`);
  if (info.version !== identity.packageVersion)
    warnings.push(`getInfo().version is ${JSON.stringify(info.version)} but the package version is ${JSON.stringify(identity.packageVersion)}`);
  return warnings;
}
