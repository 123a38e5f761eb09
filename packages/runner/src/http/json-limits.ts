import { ProcVisionError, ErrorCodes } from '@procvision/manifest';

/**
 * The deepest nesting of arrays and objects in JSON text, counted without parsing (one pass,
 * no recursion), stopping as soon as it exceeds `limit`. Brackets inside strings do not count.
 */
function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c)
        index += 1; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
      continue;
    }
    if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (char === 0x5d || char === 0x7d) depth -= 1;
  }
  return false;
}

/**
 * Refuses JSON text nested deeper than `limit` before it is parsed.
 * @throws ProcVisionError 3007 naming the limit
 */
export function assertJsonDepth(text: string, limit: number, what = 'the JSON body'): void {
  if (jsonDepthExceeds(text, limit)) {
    throw new ProcVisionError(ErrorCodes.jsonTooComplex, `${what} nests arrays/objects deeper than ${limit} levels; flatten it`, { details: { limit } });
  }
}

/**
 * Refuses a parsed JSON value (a session `context`, `user_params`) larger than `limit` bytes
 * once serialised.
 * @throws ProcVisionError 3007 naming the field and the limit
 */
export function assertJsonValueSize(value: unknown, limit: number, field: string): void {
  if (value === undefined) return;
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  if (bytes > limit)
    throw new ProcVisionError(ErrorCodes.jsonTooComplex, `${field} is ${bytes} bytes as JSON, over the limit of ${limit} bytes; send less`, {
      details: { field, limit },
    });
}
