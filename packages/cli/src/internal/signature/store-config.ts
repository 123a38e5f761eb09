import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../usage-error.js';

/** The file a factory configures its store's signature policy in, once. */
export const storeConfigFile = 'config.json';

/** `runtime_store/config.json`: `{"require_signature": true, "trusted_keys": ["keys/vendor-a.pub.pem"]}`. */
export interface StoreConfig {
  /** Absolute path of the file, for messages. */
  path: string;
  /** Refuse unsigned zips (2008). */
  requireSignature: boolean;
  /** Public key files as written, relative to the store (or absolute). */
  trustedKeys: string[];
}

const fields = ['require_signature', 'trusted_keys'];

/**
 * Reads `<store>/config.json`; undefined when there is none. Invalid JSON, an unknown field or a
 * field of the wrong type is a UsageError (exit 2) naming the file and the field: a typo in a
 * security setting must not silently turn it off.
 */
export async function readStoreConfig(storeRoot: string, example: string): Promise<StoreConfig | undefined> {
  const path = join(storeRoot, storeConfigFile);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`${path} cannot be read (${(error as Error).message})`, { example, cause: error });
  }
  const fail = (what: string): never => {
    throw new UsageError(`${path}: ${what}; expected {"require_signature": true, "trusted_keys": ["keys/vendor-a.pub.pem"]} (key paths relative to the store)`, { example });
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('not a JSON object');
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).find((key) => !fields.includes(key));
  if (unknown !== undefined) fail(`unknown field "${unknown}"`);
  const { require_signature: requireSignature = false, trusted_keys: trustedKeys = [] } = record;
  if (typeof requireSignature !== 'boolean') fail(`require_signature must be true or false, got ${JSON.stringify(requireSignature)}`);
  if (!Array.isArray(trustedKeys)) return fail(`trusted_keys must be an array of key file paths, got ${JSON.stringify(trustedKeys)}`);
  trustedKeys.forEach((key: unknown, index) => {
    if (typeof key !== 'string' || key.trim() === '') fail(`trusted_keys[${index}] must be a key file path, got ${JSON.stringify(key)}`);
  });
  return { path, requireSignature: requireSignature as boolean, trustedKeys: trustedKeys as string[] };
}
