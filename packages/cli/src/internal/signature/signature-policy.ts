import type { KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import { UsageError } from '../../usage-error.js';

/** The signature flags of `runner install`, `runner serve` and `validate --zip`. */
export interface SignatureFlags {
  /** `--trusted-key PEM`, repeatable: ed25519 public key files, relative to the working folder. */
  trustedKey?: string[];
  /** `--require-signature`: refuse unsigned zips (2008). */
  requireSignature?: boolean;
}

/** The policy handed to the store or the zip verifier. */
export interface SignaturePolicy {
  trustedKeys: KeyObject[];
  requireSignature: boolean;
}

/** The policy of a store command: what the flags add, and the flags and `config.json` together. */
interface StoreSignaturePolicies {
  /** The flags alone: `PackageStore.open` adds the store's `config.json` itself. */
  flags: SignaturePolicy;
  /** The flags plus the store's `config.json`, for verifiers outside the store. */
  merged: SignaturePolicy;
}

/**
 * Runs a signature-policy read of `@procvision/runner`; its StoreConfigError (an invalid
 * `config.json` or key file, named with the field) becomes a UsageError (exit 2).
 */
export async function asUsageError<Result>(example: string, read: () => Promise<Result>): Promise<Result> {
  const { StoreConfigError } = await import('@procvision/runner/store');
  try {
    return await read();
  } catch (error) {
    if (StoreConfigError.isInstance(error)) throw new UsageError(error.message, { example, cause: error });
    throw error;
  }
}

/**
 * The signature policy of the flags alone (`validate --zip`). Requiring signatures without any
 * trusted key is a UsageError (exit 2): every zip would be refused.
 */
export async function resolveSignaturePolicy(flags: SignatureFlags, example: string): Promise<SignaturePolicy> {
  const policy = await flagPolicy(flags, example);
  if (policy.requireSignature && policy.trustedKeys.length === 0) throw noKey('--require-signature', example, '');
  return policy;
}

/**
 * The signature policy of a store command: the store's `config.json` (read by
 * `@procvision/runner`, when it exists) plus the flags. Keys add up; a signature is required
 * when either asks for it, and the flags can never relax the store's setting.
 */
export async function resolveStoreSignaturePolicy(flags: SignatureFlags, example: string, storeRoot: string): Promise<StoreSignaturePolicies> {
  const { readStoreSignaturePolicy, storeConfigFile } = await import('@procvision/runner/store');
  const config = await asUsageError(example, () => readStoreSignaturePolicy(storeRoot));
  const fromFlags = await flagPolicy(flags, example);
  const merged = { trustedKeys: [...config.trustedKeys, ...fromFlags.trustedKeys], requireSignature: fromFlags.requireSignature || config.requireSignature };
  if (merged.requireSignature && merged.trustedKeys.length === 0) {
    const source = fromFlags.requireSignature ? '--require-signature' : `require_signature in ${config.configPath ?? ''}`;
    throw noKey(source, example, ` or list trusted_keys in ${resolve(storeRoot, storeConfigFile)}`);
  }
  return { flags: fromFlags, merged };
}

async function flagPolicy(flags: SignatureFlags, example: string): Promise<SignaturePolicy> {
  const { readTrustedKeyFile } = await import('@procvision/runner/store');
  const trustedKeys: KeyObject[] = [];
  for (const file of flags.trustedKey ?? []) trustedKeys.push(await asUsageError(example, () => readTrustedKeyFile(resolve(file), '--trusted-key')));
  return { trustedKeys, requireSignature: flags.requireSignature === true };
}

function noKey(source: string, example: string, where: string): UsageError {
  return new UsageError(`${source} needs at least one trusted key to check signatures with: pass --trusted-key vendor-a.pub.pem${where}`, { example });
}
