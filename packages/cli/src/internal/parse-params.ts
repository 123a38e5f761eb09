import { ErrorCodes } from '@procvision/manifest';
import { UsageError } from '../usage-error.js';
import { readCallerPath } from './read-caller-path.js';

/** Parses `--params JSON` into an object; bad JSON or a non-object is a usage error with code 1006. */
export function parseParamsOption(text: string | undefined, example: string, flag = '--params'): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag} is not valid JSON (${(error as Error).message}); pass a JSON object such as '{"threshold": 60}'.`, {
      code: ErrorCodes.invalidParams,
      example,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${flag} must be a JSON object, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}.`, {
      code: ErrorCodes.invalidParams,
      example,
    });
  }
  return value as Record<string, unknown>;
}

/** Parses a params flag given as `JSON` or `@file` (a JSON file of at most 1 MiB); see {@link parseParamsOption}. */
export async function readParamsOption(text: string | undefined, example: string, flag: string): Promise<Record<string, unknown>> {
  if (text?.startsWith('@') !== true) return parseParamsOption(text, example, flag);
  const bytes = await readCallerPath(text.slice(1), { field: flag, maxBytes: 1024 * 1024, hint: 'pass a JSON object or @file of one', example });
  return parseParamsOption(bytes.toString('utf8'), example, `${flag} ${text}`);
}
