import { UsageError } from '../usage-error.js';
import { ErrorCodes } from '@procvision/manifest';

/** Parses `--params JSON` into an object; bad JSON or a non-object is a usage error with code 1006. */
export function parseParamsOption(text: string | undefined, example: string): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--params is not valid JSON (${(error as Error).message}); pass a JSON object such as '{"threshold": 60}'.`, {
      code: ErrorCodes.invalidParams,
      example,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--params must be a JSON object, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}.`, {
      code: ErrorCodes.invalidParams,
      example,
    });
  }
  return value as Record<string, unknown>;
}
