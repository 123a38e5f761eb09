/**
 * The ProcVision error-code table (domain.md), one entry per code.
 * Codes travel on the wire as strings (`"1001"`).
 */
export const errorCodes = {
  '1001': { name: 'invalid_pid', retryable: false, description: 'pid not in supported_pids' },
  '1002': { name: 'image_load_failed', retryable: false, description: 'shared memory id unknown, segment torn or corrupt, decode failed, meta mismatch' },
  '1003': { name: 'model_not_found', retryable: false, description: 'model, config or asset missing' },
  '1004': { name: 'gpu_oom', retryable: false, description: 'out of GPU memory' },
  '1005': { name: 'timeout', retryable: true, description: 'call timed out, heartbeat lost, process died' },
  '1006': { name: 'invalid_params', retryable: false, description: 'user_params or image_meta invalid' },
  '1007': { name: 'coordinate_invalid', retryable: false, description: 'a rect outside the image' },
  '9999': { name: 'unknown_error', retryable: false, description: 'anything unexpected' },
  '2001': { name: 'invalid_zip', retryable: false, description: 'delivery zip damaged or incomplete' },
  '2002': { name: 'manifest_missing', retryable: false, description: 'no manifest.json' },
  '2003': { name: 'incompatible_runtime', retryable: false, description: 'package built for another os/cpu/libc/Node ABI' },
  '2004': { name: 'dependencies_missing', retryable: false, description: 'vendored dependencies absent or incomplete' },
  '2005': { name: 'install_failed', retryable: false, description: 'install step failed' },
  '2006': { name: 'activation_conflict', retryable: false, description: 'pid bound to another package, or not in supported_pids' },
  '2007': { name: 'unsafe_uninstall', retryable: false, description: 'package active or in use' },
  '2008': { name: 'signature_invalid', retryable: false, description: 'signature or integrity check failed' },
  '3050': { name: 'fleet_file_invalid', retryable: false, description: 'a --fleet stations file is unreadable, not JSON, or names no valid station URL' },
  '3051': { name: 'station_failed', retryable: false, description: 'a station of a remote or fleet operation was unreachable, refused the call or failed it' },
  '3052': { name: 'canary_failed', retryable: false, description: 'the canary station of a fleet activation was not ready or failed its step; the rest were left untouched' },
} as const satisfies Record<string, { name: string; retryable: boolean; description: string }>;

/** A ProcVision error code as it travels on the wire, e.g. `"1006"`. */
export type ErrorCode = keyof typeof errorCodes;

/** The symbolic name of an error code, e.g. `"invalid_params"`. */
export type ErrorCodeName = (typeof errorCodes)[ErrorCode]['name'];

/** Named access to the codes: `ErrorCodes.invalidParams === "1006"`. */
export const ErrorCodes = {
  invalidPid: '1001',
  imageLoadFailed: '1002',
  modelNotFound: '1003',
  gpuOom: '1004',
  timeout: '1005',
  invalidParams: '1006',
  coordinateInvalid: '1007',
  unknownError: '9999',
  invalidZip: '2001',
  manifestMissing: '2002',
  incompatibleRuntime: '2003',
  dependenciesMissing: '2004',
  installFailed: '2005',
  activationConflict: '2006',
  unsafeUninstall: '2007',
  signatureInvalid: '2008',
  fleetFileInvalid: '3050',
  stationFailed: '3051',
  canaryFailed: '3052',
} as const satisfies Record<string, ErrorCode>;

/** The codes a runner may retry (protocol.md: timeouts and lost heartbeats). */
export const retryableErrorCodes: readonly ErrorCode[] = (Object.keys(errorCodes) as ErrorCode[]).filter(
  (code) => errorCodes[code].retryable,
);

/** True when `value` is one of the codes of the table. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value);
}
