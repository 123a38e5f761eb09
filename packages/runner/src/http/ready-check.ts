import type { PackageReadiness, ProcessSource } from './process-source.js';

/** What `/ready` reports. */
export interface ReadinessReport {
  ready: boolean;
  /** Why the service is not ready (empty when ready). */
  reasons: string[];
  packages: PackageReadiness[];
  /** With a repository: whether the desired state is reached and the last reconcile's error (details of `GET /state`). */
  desired_state?: { in_sync: boolean; last_error: { at: string; code: string; message: string } | null };
}

/**
 * Ready means: the active packages were started (listen finished), the service is not
 * shutting down, and every active package's process is `ready`.
 */
export async function checkReadiness(source: ProcessSource, state: { started: boolean; closing: boolean }): Promise<ReadinessReport> {
  const reasons: string[] = [];
  if (state.closing) reasons.push('the service is shutting down');
  if (!state.started) reasons.push('starting the active packages');
  const packages = state.started ? await source.packages() : [];
  for (const entry of packages)
    if (entry.state !== 'ready') reasons.push(`${entry.name}@${entry.version} is ${entry.state}${entry.error ? `: ${entry.error}` : ''}`);
  return { ready: reasons.length === 0, reasons, packages };
}

/** What `/health` reports. */
export interface LivenessReport {
  alive: boolean;
  /** Why the service is not alive (empty when alive). */
  reasons: string[];
}

/**
 * Alive unless every active package (at least one) has been failing (`failed`, or retrying
 * after it, never ready since) for longer than `failedLivenessMs`: then only a restart of the
 * service (by its orchestrator) can help.
 */
export async function checkLiveness(source: ProcessSource, state: { started: boolean; failedLivenessMs: number }): Promise<LivenessReport> {
  if (!state.started) return { alive: true, reasons: [] };
  const packages = await source.packages();
  const now = Date.now();
  const failing = packages.filter((entry) => entry.failed_since !== undefined && now - Date.parse(entry.failed_since) > state.failedLivenessMs);
  if (packages.length === 0 || failing.length < packages.length) return { alive: true, reasons: [] };
  return {
    alive: false,
    reasons: failing.map(
      (entry) =>
        `${entry.name}@${entry.version} has been failing since ${entry.failed_since ?? ''} (over failed_liveness_ms ${String(state.failedLivenessMs)})${entry.error ? `: ${entry.error}` : ''}`,
    ),
  };
}
