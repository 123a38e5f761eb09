/**
 * A hand-written check of the common, valid `call` frame (nested form, `pre`/`execute`/`info`/
 * `reset`), so the hot path skips the zod parse. It accepts a strict subset of what
 * `parseRunnerMessage` accepts: anything it does not recognise as plainly valid returns
 * `undefined` and goes through the zod schema, which decides and words the error.
 * Like the schema, `info` and `reset` keep only their own fields; step calls are returned as
 * they came (the worker reads only the schema's fields, and the session and image_meta are
 * refused here when they carry others). test/quick-checks.test.ts compares both.
 */
export function quickCallData(raw: Record<string, unknown>): Record<string, unknown> | undefined {
  if (raw.type !== 'call' || !isNonEmptyString(raw.request_id)) return undefined;
  if (raw.timestamp_ms !== undefined && typeof raw.timestamp_ms !== 'number') return undefined;
  const data = raw.data;
  if (!isPlainRecord(data)) return undefined;
  switch (data.phase) {
    case 'info':
      return { phase: 'info' };
    case 'reset':
      return isSession(data.session) ? { phase: 'reset', session: data.session } : undefined;
    case 'pre':
    case 'execute':
      return isStepCall(data) ? data : undefined;
    default:
      return undefined;
  }
}

const sessionKeys = new Set(['id', 'context', 'state']);
const imageMetaKeys = new Set(['width', 'height', 'timestamp_ms', 'camera_id', 'color_space']);

function isStepCall(data: Record<string, unknown>): boolean {
  const step = data.step_index;
  return (
    typeof step === 'number' &&
    Number.isSafeInteger(step) &&
    step >= 1 &&
    isNonEmptyString(data.pid) &&
    isSession(data.session) &&
    (data.user_params === undefined || isPlainRecord(data.user_params)) &&
    isNonEmptyString(data.shared_mem_id) &&
    isImageMeta(data.image_meta)
  );
}

/** Only the known keys (zod would strip others from what the algorithm sees). */
function isSession(value: unknown): boolean {
  if (!isPlainRecord(value) || !onlyKeys(value, sessionKeys)) return false;
  return (
    isNonEmptyString(value.id) && (value.context === undefined || isPlainRecord(value.context)) && (value.state === undefined || isPlainRecord(value.state))
  );
}

function isImageMeta(value: unknown): boolean {
  if (!isPlainRecord(value) || !onlyKeys(value, imageMetaKeys)) return false;
  const { width, height, timestamp_ms: timestamp, camera_id: cameraId, color_space: colorSpace } = value;
  return (
    typeof width === 'number' &&
    Number.isSafeInteger(width) &&
    width > 0 &&
    typeof height === 'number' &&
    Number.isSafeInteger(height) &&
    height > 0 &&
    typeof timestamp === 'number' &&
    Number.isSafeInteger(timestamp) &&
    timestamp >= 0 &&
    typeof cameraId === 'string' &&
    (colorSpace === undefined || colorSpace === 'RGB' || colorSpace === 'BGR' || colorSpace === 'GRAY')
  );
}

function onlyKeys(value: Record<string, unknown>, known: ReadonlySet<string>): boolean {
  for (const key in value) if (!known.has(key)) return false;
  return true;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** A JSON object as a frame decodes it (plain prototype, not an array). */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
