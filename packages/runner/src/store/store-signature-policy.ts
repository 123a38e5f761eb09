import type { KeyObject } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { readStoreConfig } from './store-config.js';
import { readTrustedKeyFile } from './trusted-key-file.js';

/** A store's signature policy as its `config.json` sets it, keys loaded. */
export interface StoreSignaturePolicy {
  /** Absolute path of the config.json it was read from; undefined when the store has none. */
  configPath: string | undefined;
  /** Refuse unsigned zips (2008). */
  requireSignature: boolean;
  /** The ed25519 public keys of `trusted_keys`, in order. */
  trustedKeys: KeyObject[];
}

/**
 * The signature policy of the store at `storeRoot`: its `config.json` (key paths relative to
 * the store) with every key file loaded, or no requirement and no keys without the file.
 * @throws StoreConfigError (2008) for an invalid config.json or key file, naming the file and field
 */
export async function readStoreSignaturePolicy(storeRoot: string): Promise<StoreSignaturePolicy> {
  const config = await readStoreConfig(storeRoot);
  if (config === undefined) return { configPath: undefined, requireSignature: false, trustedKeys: [] };
  const trustedKeys: KeyObject[] = [];
  for (const [index, file] of config.trustedKeys.entries()) {
    const path = isAbsolute(file) ? file : resolve(storeRoot, file);
    trustedKeys.push(await readTrustedKeyFile(path, `trusted_keys[${index}] of ${config.path}`));
  }
  return { configPath: config.path, requireSignature: config.requireSignature, trustedKeys };
}
