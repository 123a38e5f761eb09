import { resolve } from 'node:path';
import type { Delivery, DeliveryTarget, Manifest } from '@procvision/manifest';
import { readDeliveryZip } from './internal/delivery-reader.js';
import type { SignatureStatus } from './internal/delivery-metadata.js';
import type { SbomSummary } from './internal/sbom-check.js';
import type { KeyInput } from './signing.js';
import { resolveZipLimits, type ZipLimits } from './zip-limits.js';

export type { SignatureStatus, SbomSummary };

/** Options of {@link verifyDeliveryZip} and {@link extractDeliveryZip}. */
export interface VerifyOptions {
  /** ed25519 public keys (KeyObject or PEM) a SIGNATURE may be made with. */
  trustedKeys?: readonly KeyInput[];
  /** Refuse unsigned zips, and zips whose signature cannot be checked (2008). */
  requireSignature?: boolean;
  /** Overrides of {@link defaultZipLimits}. */
  limits?: Partial<ZipLimits>;
}

/** A delivery zip that passed every check. */
export interface VerifiedDelivery {
  /** Absolute path of the zip. */
  zipPath: string;
  /** The parsed delivery.json. */
  delivery: Delivery;
  /** The parsed and validated manifest.json. */
  manifest: Manifest;
  /** Warnings of the manifest parser (e.g. a two-part version). */
  manifestWarnings: string[];
  /** The platform the zip was built for (check it with `checkTargetCompatibility`). */
  target: DeliveryTarget;
  /** Signed / verified / signer key id. */
  signature: SignatureStatus;
  /** The signer's key id, or null when unsigned. */
  signerKeyId: string | null;
  /** What sbom.cdx.json lists (components, license summary), checked against the zip; null when the zip carries none (made before SBOMs). */
  sbom: SbomSummary | null;
  /** sha256 (hex) of the exact delivery.json bytes. */
  deliverySha256: string;
  /** Entries in the zip, and their uncompressed bytes. */
  entryCount: number;
  totalBytes: number;
}

/**
 * Checks a delivery zip as hostile input without writing anything: central directory rules
 * (names, symlinks, encryption, duplicates, limits), signature, then every entry streamed
 * and hashed against delivery.json and the lockfile. Throws ProcVisionError 2001 (damaged,
 * unsafe or incomplete), 2002 (no manifest.json), 2004 (a dependency tarball missing) or 2008
 * (signature or integrity), naming the entry. The target is reported, not compared with
 * this machine.
 */
export async function verifyDeliveryZip(zipPath: string, options: VerifyOptions = {}): Promise<VerifiedDelivery> {
  const absolutePath = resolve(zipPath);
  const reading = await readDeliveryZip(absolutePath, resolveZipLimits(options.limits), options, null);
  return toVerified(absolutePath, reading);
}

/** Shapes a reading into the public result. */
export function toVerified(zipPath: string, reading: Awaited<ReturnType<typeof readDeliveryZip>>): VerifiedDelivery {
  return {
    zipPath,
    delivery: reading.delivery,
    manifest: reading.manifest,
    manifestWarnings: reading.manifestWarnings,
    target: reading.delivery.target,
    signature: reading.signature,
    signerKeyId: reading.signature.keyId,
    sbom: reading.sbom,
    deliverySha256: reading.deliverySha256,
    entryCount: reading.entryCount,
    totalBytes: reading.totalBytes,
  };
}
