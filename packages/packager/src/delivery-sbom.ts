import { resolve } from 'node:path';
import { ErrorCodes } from '@procvision/manifest';
import { readCentralDirectory } from './internal/central-directory.js';
import { readEntry } from './internal/entry-reader.js';
import { readPythonDeliveryZip } from './internal/python-delivery-reader.js';
import { sbomOfZipWheels } from './internal/python-sbom.js';
import { sbomSummary, type SbomSummary } from './internal/sbom-check.js';
import { sbomFileName } from './internal/sbom.js';
import { zipError } from './internal/zip-error.js';
import { deliveryZipKind } from './python-delivery-zip.js';
import { verifyDeliveryZip, type VerifyOptions } from './verify-delivery-zip.js';
import { resolveZipLimits } from './zip-limits.js';

/** A delivery zip's SBOM: the CycloneDX 1.6 JSON document, its summary and where it came from. */
export interface DeliverySbom {
  /** The document's text. */
  document: string;
  summary: SbomSummary;
  /** `zip`: our zip's sbom.cdx.json (checked against the zip); `derived`: made from a Python zip's wheels' METADATA. */
  source: 'zip' | 'derived';
}

/**
 * The SBOM of a delivery zip. Ours: verified end to end ({@link verifyDeliveryZip}: the SBOM
 * lists the install set with the lockfile's hashes and validates against the CycloneDX 1.6
 * schema), then its sbom.cdx.json (2001 when the zip predates SBOMs). A Python SDK zip: its
 * bytes and signature checked (no interpreter asked), then the SBOM derived from its wheels,
 * as the store derives it at install.
 */
export async function readDeliverySbom(zipPath: string, options: VerifyOptions = {}): Promise<DeliverySbom> {
  const absolutePath = resolve(zipPath);
  const limits = resolveZipLimits(options.limits);
  if ((await deliveryZipKind(absolutePath)) === 'python') {
    const reading = await readPythonDeliveryZip(absolutePath, limits, options, null);
    const derived = await sbomOfZipWheels(
      absolutePath,
      { name: reading.manifest.name, version: reading.manifest.version },
      reading.listing.toString('utf8'),
      limits,
    );
    return { document: derived.document, summary: derived.summary, source: 'derived' };
  }
  const verified = await verifyDeliveryZip(absolutePath, options);
  const entry = (await readCentralDirectory(absolutePath, limits)).entries.find((candidate) => candidate.name === sbomFileName);
  if (verified.sbom === null || entry === undefined)
    throw zipError(ErrorCodes.invalidZip, absolutePath, sbomFileName, 'is missing: the zip was made before zips carried an SBOM; package it again');
  const digest = await readEntry(absolutePath, entry, { kind: 'memory' }, { remaining: limits.maxMetadataBytes });
  if (digest.sha256 !== verified.delivery.files[sbomFileName]?.sha256)
    throw zipError(ErrorCodes.signatureInvalid, absolutePath, sbomFileName, 'changed since the zip was verified');
  const bytes = digest.bytes ?? Buffer.alloc(0);
  return { document: bytes.toString('utf8'), summary: sbomSummary(absolutePath, bytes), source: 'zip' };
}

/** The summary of a CycloneDX JSON document (component count, licenses); 2001 when it is not one. */
export function summarizeSbom(document: string, source = 'sbom.cdx.json'): SbomSummary {
  return sbomSummary(source, Buffer.from(document));
}
