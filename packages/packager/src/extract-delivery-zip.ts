import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readDeliveryZip } from './internal/delivery-reader.js';
import { zipError } from './internal/zip-error.js';
import { toVerified, type VerifiedDelivery, type VerifyOptions } from './verify-delivery-zip.js';
import { resolveZipLimits } from './zip-limits.js';

/** Options of {@link extractDeliveryZip}. */
export interface ExtractOptions extends VerifyOptions {
  /** Name of the staging folder to create; default `.staging-<random hex>`. It must not exist. */
  stagingName?: string;
}

/** A verified delivery zip, extracted into its own staging folder. */
export interface ExtractedDelivery extends VerifiedDelivery {
  /** The fresh folder holding every file of the zip (manifest.json, dist/, npm-packages/ ...). */
  stagingDir: string;
}

/**
 * Verifies and extracts a delivery zip into a fresh staging folder created exclusively
 * inside `destinationParent` (the store passes `algorithms/deployed/`), writing each file with
 * flag `wx` while hashing it. Every check of {@link verifyDeliveryZip} applies; on any
 * failure the staging folder is removed and the ProcVisionError is rethrown, so the parent is
 * left as it was. The caller renames or removes the staging folder afterwards.
 */
export async function extractDeliveryZip(zipPath: string, destinationParent: string, options: ExtractOptions = {}): Promise<ExtractedDelivery> {
  const absolutePath = resolve(zipPath);
  const stagingName = options.stagingName ?? `.staging-${randomBytes(8).toString('hex')}`;
  if (stagingName.includes('/') || stagingName.includes('\\') || stagingName === '.' || stagingName === '..') {
    throw zipError('2001', absolutePath, null, `staging name "${stagingName}" must be a plain folder name`);
  }
  const parent = resolve(destinationParent);
  await mkdir(parent, { recursive: true });
  const stagingDir = join(parent, stagingName);
  try {
    await mkdir(stagingDir);
  } catch (error) {
    throw zipError('2001', absolutePath, null, `cannot create the staging folder ${stagingDir} (${(error as Error).message}); it must not exist yet`, error);
  }
  try {
    const reading = await readDeliveryZip(absolutePath, resolveZipLimits(options.limits), options, stagingDir);
    return { ...toVerified(absolutePath, reading), stagingDir };
  } catch (error) {
    await rm(stagingDir, { recursive: true, force: true });
    throw error;
  }
}
