import type { KeyObject } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import type { SignatureFlags } from '../../command-options.js';
import { UsageError } from '../../usage-error.js';
import { readStoreConfig, storeConfigFile } from './store-config.js';
import { readTrustedKeyFile } from './trusted-key-file.js';

/** The policy handed to the store or the zip verifier. */
export interface SignaturePolicy {
  trustedKeys: KeyObject[];
  requireSignature: boolean;
}

/**
 * The signature policy of a command: the store's `config.json` (when `storeRoot` is given and
 * the file exists) plus the flags. Keys add up; a signature is required when either asks for
 * it, and the flags can never relax the store's setting. Requiring signatures without any
 * trusted key is a UsageError (exit 2): every zip would be refused.
 */
export async function resolveSignaturePolicy(flags: SignatureFlags, example: string, storeRoot?: string): Promise<SignaturePolicy> {
  const config = storeRoot === undefined ? undefined : await readStoreConfig(storeRoot, example);
  const trustedKeys: KeyObject[] = [];
  for (const [index, file] of (config?.trustedKeys ?? []).entries()) {
    const path = isAbsolute(file) ? file : resolve(storeRoot ?? '.', file);
    trustedKeys.push(await readTrustedKeyFile(path, `trusted_keys[${index}] of ${config?.path ?? ''}`, example));
  }
  for (const file of flags.trustedKey ?? []) trustedKeys.push(await readTrustedKeyFile(resolve(file), '--trusted-key', example));
  const requireSignature = flags.requireSignature === true || config?.requireSignature === true;
  if (requireSignature && trustedKeys.length === 0) {
    const source = flags.requireSignature === true ? '--require-signature' : `require_signature in ${config?.path ?? ''}`;
    const where = storeRoot === undefined ? '' : ` or list trusted_keys in ${resolve(storeRoot, storeConfigFile)}`;
    throw new UsageError(`${source} needs at least one trusted key to check signatures with: pass --trusted-key vendor-a.pub.pem${where}`, { example });
  }
  return { trustedKeys, requireSignature };
}
