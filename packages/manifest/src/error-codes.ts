/**
 * The ProcVision error-code table (docs/spec/domain.md), one entry per code.
 * Codes travel on the wire as strings (`"1001"`).
 */
export const errorCodes = {
  '1000': {
    name: 'adapter_rejected_call',
    retryable: false,
    description: 'the Python adapter refused or could not run a call: busy, invalid return value, missing image ids, entry import failed',
  },
  '1001': { name: 'invalid_pid', retryable: false, description: 'pid not in supported_pids' },
  '1002': { name: 'image_load_failed', retryable: false, description: 'shared memory id unknown, segment torn or corrupt, decode failed, meta mismatch' },
  '1003': { name: 'model_not_found', retryable: false, description: 'model, config or asset missing' },
  '1004': { name: 'gpu_oom', retryable: false, description: 'out of GPU memory' },
  '1005': { name: 'timeout', retryable: true, description: 'call timed out, heartbeat lost, process died' },
  '1006': { name: 'invalid_params', retryable: false, description: 'user_params or image_meta invalid' },
  '1007': { name: 'coordinate_invalid', retryable: false, description: 'a rect outside the image' },
  '1009': { name: 'algorithm_exception', retryable: false, description: 'the algorithm raised an exception during a call (Python adapters)' },
  '1010': { name: 'stdout_contaminated', retryable: false, description: 'the algorithm wrote to stdout, the protocol channel (Python v0.3 strict stdio)' },
  '1011': {
    name: 'entry_point_not_found',
    retryable: false,
    description: 'the adapter found no entry point (manifest entry_point, PROC_ENTRY_POINT, --entry)',
  },
  '1012': {
    name: 'memory_limit_exceeded',
    retryable: false,
    description: "the algorithm process's resident memory passed its package's memory_limit_mb: the call failed and the process was restarted",
  },
  '9999': { name: 'unknown_error', retryable: false, description: 'anything unexpected' },
  '2001': { name: 'invalid_zip', retryable: false, description: 'delivery zip damaged or incomplete' },
  '2002': { name: 'manifest_missing', retryable: false, description: 'no manifest.json' },
  '2003': { name: 'incompatible_runtime', retryable: false, description: 'package built for another os/cpu/libc/Node ABI' },
  '2004': { name: 'dependencies_missing', retryable: false, description: 'vendored dependencies absent or incomplete' },
  '2005': { name: 'install_failed', retryable: false, description: 'install step failed' },
  '2006': { name: 'activation_conflict', retryable: false, description: 'pid bound to another package, or not in supported_pids' },
  '2007': { name: 'unsafe_uninstall', retryable: false, description: 'package active or in use' },
  '2008': { name: 'signature_invalid', retryable: false, description: 'signature or integrity check failed' },
  // Service hardening (2009-2019 store, 3001-3049 HTTP service limits and authentication).
  '2009': { name: 'package_not_installed', retryable: false, description: 'no such package name and version in the store' },
  '2010': { name: 'already_installed', retryable: false, description: 'that package name and version is already installed' },
  '2020': { name: 'python_manifest_invalid', retryable: false, description: 'manifest.json of a Python delivery zip invalid for its SDK generation' },
  '2021': {
    name: 'python_interpreter_mismatch',
    retryable: false,
    description: "deploy_bootstrap.json names another Python version, ABI or implementation than the station's interpreter",
  },
  '2022': {
    name: 'python_requirements_invalid',
    retryable: false,
    description: 'requirements.txt missing, unparseable, or naming an index, a URL or an option',
  },
  '2023': { name: 'python_requirement_unsatisfied', retryable: false, description: 'a requirement has no matching wheel in wheels/' },
  '2024': {
    name: 'python_wheel_incompatible',
    retryable: false,
    description: "a wheel's tags do not match the station's Python (another platform, version or ABI)",
  },
  '2025': { name: 'python_source_distribution', retryable: false, description: 'wheels/ holds a source distribution or another non-wheel file' },
  '2026': { name: 'python_interpreter_unavailable', retryable: false, description: "the store's Python interpreter is missing or lacks venv/pip" },
  '2027': { name: 'python_install_failed', retryable: false, description: 'creating the virtual environment or pip install failed' },
  '2028': { name: 'python_entry_import_failed', retryable: false, description: 'the entry point does not import in the installed environment' },
  '3001': { name: 'unauthorized', retryable: false, description: 'missing or wrong bearer token' },
  '3002': { name: 'exposure_refused', retryable: false, description: 'the service would listen beyond loopback without a token' },
  '3003': { name: 'path_not_allowed', retryable: false, description: 'a path outside the roots the operator allows' },
  '3004': { name: 'not_a_regular_file', retryable: false, description: 'a path names a folder, FIFO, device or socket, not a regular file' },
  '3005': { name: 'file_too_large', retryable: false, description: 'a file named by path is larger than the limit' },
  '3006': { name: 'too_many_sessions', retryable: false, description: 'the session cap is reached' },
  '3007': { name: 'json_too_complex', retryable: false, description: 'a JSON value nested too deep or too large' },
  '3008': { name: 'image_too_large', retryable: false, description: 'an image decodes to more pixels than the limit' },
  '3009': { name: 'service_busy', retryable: false, description: 'too many requests of this kind in flight' },
  '3050': { name: 'fleet_file_invalid', retryable: false, description: 'a --fleet stations file is unreadable, not JSON, or names no valid station URL' },
  '3051': { name: 'station_failed', retryable: false, description: 'a station of a remote or fleet operation was unreachable, refused the call or failed it' },
  '3052': {
    name: 'canary_failed',
    retryable: false,
    description: 'the canary station of a fleet activation was not ready or failed its step; the rest were left untouched',
  },
} as const satisfies Record<string, { name: string; retryable: boolean; description: string }>;

/** A ProcVision error code as it travels on the wire, e.g. `"1006"`. */
export type ErrorCode = keyof typeof errorCodes;

/** The symbolic name of an error code, e.g. `"invalid_params"`. */
export type ErrorCodeName = (typeof errorCodes)[ErrorCode]['name'];

/** `snake_case` to `camelCase` at the type level: `"invalid_params"` -> `"invalidParams"`. */
type CamelCase<Name extends string> = Name extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : Name;

/** The named constants, one per row of {@link errorCodes}: the camel-cased name to the code. */
export type NamedErrorCodes = { readonly [Code in ErrorCode as CamelCase<(typeof errorCodes)[Code]['name']>]: Code };

/**
 * Named access to the codes: `ErrorCodes.invalidParams === "1006"`. Derived from
 * {@link errorCodes} (one table): a row added there is a constant here. Throw sites and
 * `error_code` fields use these names, never a bare `'1006'` (a lint rule keeps it so).
 */
export const ErrorCodes: NamedErrorCodes = Object.freeze(
  Object.fromEntries(
    Object.entries(errorCodes).map(([code, entry]) => [entry.name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase()), code]),
  ),
) as NamedErrorCodes;

/** The codes a runner may retry (docs/spec/protocol.md: timeouts and lost heartbeats). */
export const retryableErrorCodes: readonly ErrorCode[] = (Object.keys(errorCodes) as ErrorCode[]).filter((code) => errorCodes[code].retryable);

/** True when `value` is one of the codes of the table. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value);
}
