import type { OptionSpec } from '../command-table/command-spec.js';

/**
 * The runtime keys of a station (`stationKeys` of `@procvision/runner/store`, which a test
 * keeps this list equal to): each is a flag of `runner serve`, `runner exec` and `runner config`.
 * Listed here so the command table loads without the runner.
 */
export const stationFlagKeys = [
  'pre_execute_timeout_ms',
  'execute_timeout_ms',
  'startup_timeout_ms',
  'heartbeat_interval_ms',
  'heartbeat_grace_ms',
  'max_missed_heartbeats',
  'kill_grace_ms',
  'max_retries',
  'max_restarts',
  'restart_window_ms',
  'max_frame_bytes',
  'max_defects',
  'shared_memory_backend',
  'json_bytes',
  'zip_bytes',
  'max_sessions',
  'session_idle_ms',
  'max_json_depth',
  'max_json_value_bytes',
  'max_frame_pixels',
  'headers_timeout_ms',
  'request_timeout_ms',
  'max_connections',
  'max_connections_per_client',
  'restricted_connection_ms',
  'max_concurrent_file_reads',
  'body_budget_bytes',
  'store_watch_ms',
  'failed_liveness_ms',
  'instances',
  'audit_log_max_bytes',
  'audit_log_keep',
  'packages',
] as const;

/** `execute_timeout_ms` -> `executeTimeoutMs` (how commander names the option). */
function camelCase(key: string): string {
  return key.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/** One `--<key> <value>` option per runtime key; values are checked by the runner's schema. */
export const stationOptions: readonly OptionSpec[] = stationFlagKeys.map((key) => ({
  flags: `--${key.replaceAll('_', '-')} <${key === 'packages' ? 'json' : 'value'}>`,
  description:
    key === 'packages'
      ? 'per-package overrides as JSON, {"<name>": {"execute_timeout_ms": 60000, "env": {...}, "pass_env": [...], "instances": 2, "memory_limit_mb": 2048}} (over $PROCVISION_PACKAGES and config.json)'
      : `station setting ${key} (over $PROCVISION_${key.toUpperCase()} and <store>/config.json)`,
}));

/** The runtime flags given on the command line, by key (`{"execute_timeout_ms": "60000"}`). */
export function stationFlags(options: object): Record<string, string> {
  const given: Record<string, string> = {};
  for (const key of stationFlagKeys) {
    const value = (options as Record<string, unknown>)[camelCase(key)];
    if (typeof value === 'string') given[key] = value;
  }
  return given;
}
