import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { StoreConfigError } from './store-config-error.js';
import { recordingConfigSchema, type RecordingConfig } from '../records/recording-config.js';
import { stationRuntimeSchema } from './station-config.js';

/** The file a factory configures its store's signature policy in, once: `<store>/config.json`. */
export const storeConfigFile = 'config.json';

/**
 * Schema of `<store>/config.json` (strict: an unknown field is an error, never ignored): the
 * signature policy and Python settings, and every runtime setting of the station
 * (`stationRuntimeSchema`: runner config, service limits, instances, audit log, per-package overrides).
 */
export const storeConfigSchema = z.strictObject({
  ...stationRuntimeSchema.shape,
  require_signature: z.boolean().default(false),
  trusted_keys: z.array(z.string().trim().min(1)).default([]),
  /** The interpreter Python packages are checked against and get their venv from (command or absolute path). */
  python: z.string().trim().min(1).default('python3'),
  /** Whether Python packages' venvs see the interpreter's site-packages. */
  python_system_site_packages: z.boolean().default(false),
  /** Desired state to reconcile from (`runner serve`): a folder (relative to the store) or an https:// base URL. */
  repository: z.string().trim().min(1).optional(),
  /** Per-PID recording of steps (frames and outcomes) under `<store>/records` (off when absent). */
  recording: recordingConfigSchema,
});

/** `<store>/config.json` as written: `{"require_signature": true, "trusted_keys": ["keys/vendor-a.pub.pem"]}`. */
export type StoreConfigJson = z.input<typeof storeConfigSchema>;

/** A read `<store>/config.json`. */
export interface StoreConfig {
  /** Absolute path of the file, for messages. */
  path: string;
  /** Refuse unsigned zips (2008). */
  requireSignature: boolean;
  /** Public key files as written, relative to the store (or absolute). */
  trustedKeys: string[];
  /** The store's Python interpreter (`python3` when unset). */
  python: string;
  /** Python venvs see system site-packages (false when unset). */
  pythonSystemSitePackages: boolean;
  /** The repository `runner serve` reconciles from, as written (undefined when unset). */
  repository?: string;
  /** PID -> recording settings (empty: nothing is recorded). */
  recording: RecordingConfig;
}

const expected = 'expected {"require_signature": true, "trusted_keys": ["keys/vendor-a.pub.pem"]} (key paths relative to the store)';

/**
 * Reads `<storeRoot>/config.json`; undefined when there is none.
 * @throws StoreConfigError (2008) naming the file and the field for unreadable or invalid JSON,
 *   an unknown field or a field of the wrong type: a typo in a security setting must not
 *   silently turn it off
 */
export async function readStoreConfig(storeRoot: string): Promise<StoreConfig | undefined> {
  const path = join(storeRoot, storeConfigFile);
  const fail = (field: string | undefined, what: string, cause?: unknown): never => {
    throw new StoreConfigError(`${path}: ${what}; ${expected}`, { file: path, ...(field === undefined ? {} : { field }), cause });
  };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return fail(undefined, `cannot be read (${(error as Error).message})`, error);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(undefined, `not valid JSON (${(error as Error).message})`, error);
  }
  const parsed = storeConfigSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('') ?? '';
    const named = issue?.code === 'unrecognized_keys' ? issue.keys[0] : field;
    return fail(named === '' ? undefined : named, describeIssue(issue, field, value));
  }
  return {
    path,
    requireSignature: parsed.data.require_signature,
    trustedKeys: parsed.data.trusted_keys,
    python: parsed.data.python,
    pythonSystemSitePackages: parsed.data.python_system_site_packages,
    ...(parsed.data.repository === undefined ? {} : { repository: parsed.data.repository }),
    recording: parsed.data.recording,
  };
}

function describeIssue(issue: z.core.$ZodIssue | undefined, field: string, value: unknown): string {
  if (issue === undefined) return 'invalid';
  if (issue.code === 'unrecognized_keys') return `unknown field "${issue.keys[0] ?? ''}"`;
  if (field === '') return 'not a JSON object';
  const got = JSON.stringify(valueAt(value, issue.path));
  if (field === 'require_signature') return `require_signature must be true or false, got ${got}`;
  if (field === 'trusted_keys') return `trusted_keys must be an array of key file paths, got ${got}`;
  if (field === 'python') return `python must be an interpreter command or path such as "python3" or "/usr/bin/python3.11", got ${got}`;
  if (field === 'repository') return `repository must be a folder path or an https:// URL, got ${got}`;
  if (field === 'python_system_site_packages') return `python_system_site_packages must be true or false, got ${got}`;
  if (field.startsWith('trusted_keys')) return `${field} must be a key file path, got ${got}`;
  return `${field}: ${issue.message}, got ${got}`;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (current, key) => (typeof current === 'object' && current !== null ? (current as Record<PropertyKey, unknown>)[key] : undefined),
    value,
  );
}
