import { resolve } from 'node:path';
import { CallerFileError, readCallerFile } from '@procvision/runner';
import { UsageError } from '../usage-error.js';
import { type ImageFile, readImageFile } from './read-image-file.js';
import { ErrorCodes } from '@procvision/manifest';

/** `--guide-image`, `--guide-info`, `--step-desc` of `run` and `runner exec` (Python v0.3 algorithms). */
export interface GuideOptions {
  guideImage?: string;
  guideInfo?: string;
  stepDesc?: string;
}

/** Largest `--guide-info` (inline or `@file`), in bytes. */
const maxGuideInfoBytes = 1024 * 1024;

/** The guide fields of one step (Python v0.3 algorithms), read from the command line. */
export interface GuideInputs {
  guideImage?: ImageFile;
  guideInfo?: unknown;
  stepDesc?: string;
}

/**
 * Reads `--guide-image FILE`, `--guide-info JSON|@file.json` and `--step-desc TEXT`: a missing
 * or non-image file, unreadable or invalid JSON, or more than 1 MiB is a usage error naming the
 * flag (and the file), with code 1006 for bad JSON.
 */
export async function readGuideOptions(options: GuideOptions, example: string): Promise<GuideInputs> {
  const inputs: GuideInputs = {};
  if (options.guideImage !== undefined) inputs.guideImage = await readImageFile(options.guideImage, example, '--guide-image');
  if (options.guideInfo !== undefined) inputs.guideInfo = await parseGuideInfo(options.guideInfo, example);
  if (options.stepDesc !== undefined) {
    if (options.stepDesc.length > 4096)
      throw new UsageError(`--step-desc is ${options.stepDesc.length} characters; at most 4096.`, { code: ErrorCodes.invalidParams, example });
    inputs.stepDesc = options.stepDesc;
  }
  return inputs;
}

async function parseGuideInfo(value: string, example: string): Promise<unknown> {
  let text = value;
  let source = '--guide-info';
  if (value.startsWith('@')) {
    const path = resolve(value.slice(1));
    source = `--guide-info file ${path}`;
    try {
      // One reader of caller-named paths: regular files only (no FIFO or device), bounded.
      text = (await readCallerFile(path, { field: '--guide-info', maxBytes: maxGuideInfoBytes })).toString('utf8');
    } catch (error) {
      if (CallerFileError.isCallerFileError(error))
        throw new UsageError(`${error.message}; pass @file.json of a JSON file.`, { code: ErrorCodes.invalidParams, example });
      throw error;
    }
  } else if (Buffer.byteLength(value) > maxGuideInfoBytes) {
    throw new UsageError(`--guide-info is longer than ${maxGuideInfoBytes} bytes; pass @file.json.`, { code: ErrorCodes.invalidParams, example });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${source} is not valid JSON (${(error as Error).message}); pass JSON such as '[{"label": "screw"}]' or @file.json.`, {
      code: ErrorCodes.invalidParams,
      example,
    });
  }
}
