import type { z } from 'zod';
import { deliverySchema, signatureFileSchema, type Delivery, type SignatureFile, ErrorCodes } from '@procvision/manifest';
import { verifyDeliverySignature, type KeyInput } from '../signing.js';
import { zipError } from './zip-error.js';

/** Who signed the zip and whether that was checked against a trusted key. */
export interface SignatureStatus {
  /** True when the zip carries a SIGNATURE file. */
  signed: boolean;
  /** True when the signature was checked against a trusted key and matched. */
  verified: boolean;
  /** The signer's key id (`SHA256:...`), or null when unsigned. */
  keyId: string | null;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Parses JSON bytes of one entry; 2001 (or `code`) naming the entry when it is not JSON. */
export function parseJsonEntry(
  zipPath: string,
  name: string,
  bytes: Buffer,
  code: typeof ErrorCodes.invalidZip | typeof ErrorCodes.manifestMissing | typeof ErrorCodes.signatureInvalid = ErrorCodes.invalidZip,
): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    throw zipError(code, zipPath, name, `is not valid JSON (${(error as Error).message})`, error);
  }
}

/** Parses delivery.json against the delivery schema (2001 naming each bad field). */
export function parseDeliveryBytes(zipPath: string, bytes: Buffer): Delivery {
  const result = deliverySchema.safeParse(parseJsonEntry(zipPath, 'delivery.json', bytes));
  if (!result.success) throw zipError(ErrorCodes.invalidZip, zipPath, 'delivery.json', `does not match the delivery schema: ${describeIssues(result.error)}`);
  return result.data;
}

/** Options deciding how a signature is treated. */
export interface SignaturePolicy {
  trustedKeys?: readonly KeyInput[];
  requireSignature?: boolean;
}

/** Checks SIGNATURE (when present) against the trusted keys; enforces `requireSignature` (2008). */
export function checkSignature(zipPath: string, deliveryBytes: Buffer, signatureBytes: Buffer | null, policy: SignaturePolicy): SignatureStatus {
  const trustedKeys = policy.trustedKeys ?? [];
  if (signatureBytes === null) {
    if (policy.requireSignature === true)
      throw zipError(ErrorCodes.signatureInvalid, zipPath, 'SIGNATURE', 'is missing but signatures are required (package the zip with a signing key)');
    return { signed: false, verified: false, keyId: null };
  }
  const parsed = signatureFileSchema.safeParse(parseJsonEntry(zipPath, 'SIGNATURE', signatureBytes, ErrorCodes.signatureInvalid));
  if (!parsed.success) throw zipError(ErrorCodes.signatureInvalid, zipPath, 'SIGNATURE', `is malformed: ${describeIssues(parsed.error)}`);
  const signature: SignatureFile = parsed.data;
  if (trustedKeys.length === 0) {
    if (policy.requireSignature === true)
      throw zipError(ErrorCodes.signatureInvalid, zipPath, 'SIGNATURE', 'cannot be checked: signatures are required but no trusted keys are configured');
    return { signed: true, verified: false, keyId: signature.key_id };
  }
  try {
    return { signed: true, verified: true, keyId: verifyDeliverySignature(deliveryBytes, signature, trustedKeys) };
  } catch (error) {
    throw zipError(ErrorCodes.signatureInvalid, zipPath, 'SIGNATURE', (error as Error).message, error);
  }
}

interface LockfileEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
}

/**
 * Checks package-lock.json: lockfile v3, every package entry carries `resolved` and
 * `integrity`, and each dependency of delivery.json matches its lockfile entry.
 */
export function checkLockfile(zipPath: string, delivery: Delivery, bytes: Buffer): void {
  const name = 'package-lock.json';
  const lockfile = parseJsonEntry(zipPath, name, bytes) as { lockfileVersion?: unknown; packages?: Record<string, LockfileEntry> };
  if (lockfile.lockfileVersion !== 3 || typeof lockfile.packages !== 'object' || lockfile.packages === null) {
    throw zipError(
      ErrorCodes.invalidZip,
      zipPath,
      name,
      `must be lockfile version 3 with a "packages" map (found lockfileVersion ${String(lockfile.lockfileVersion)})`,
    );
  }
  for (const [path, entry] of Object.entries(lockfile.packages)) {
    if (path === '' || entry.link === true) continue;
    if (typeof entry.resolved !== 'string' || typeof entry.integrity !== 'string') {
      throw zipError(ErrorCodes.invalidZip, zipPath, name, `package "${path}" lacks "resolved" or "integrity" (every entry needs both)`);
    }
  }
  for (const dependency of delivery.dependencies) {
    const entry = lockfile.packages[dependency.path];
    if (entry === undefined)
      throw zipError(
        ErrorCodes.dependenciesMissing,
        zipPath,
        name,
        `has no entry for ${dependency.path} (${dependency.name}@${dependency.version}) listed in delivery.json`,
      );
    if (entry.version !== dependency.version || entry.integrity !== dependency.integrity) {
      throw zipError(
        ErrorCodes.signatureInvalid,
        zipPath,
        name,
        `entry ${dependency.path} (${entry.version ?? '?'}, ${entry.integrity ?? '?'}) differs from delivery.json (${dependency.version}, ${dependency.integrity})`,
      );
    }
  }
}
