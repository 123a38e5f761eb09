import { resolve } from 'node:path';
import { readDeliveryZip } from './internal/delivery-reader.js';
import { extractIntoStagingFolder } from './internal/staging-folder.js';
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
  return extractIntoStagingFolder(absolutePath, destinationParent, options.stagingName, async (stagingDir) =>
    toVerified(absolutePath, await readDeliveryZip(absolutePath, resolveZipLimits(options.limits), options, stagingDir)),
  );
}
