import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { PythonManifest, PythonSdkGeneration } from '@procvision/manifest';
import { readCentralDirectory } from './internal/central-directory.js';
import type { SignatureStatus } from './internal/delivery-metadata.js';
import { readPythonDeliveryZip, type PythonZipReading } from './internal/python-delivery-reader.js';
import { sbomOfWheels, sbomOfZipWheels } from './internal/python-sbom.js';
import type { SbomSummary } from './internal/sbom-check.js';
import { checkPythonStation } from './internal/python-station-check.js';
import { pythonProjectFolder } from './internal/python-zip-layout.js';
import { extractIntoStagingFolder } from './internal/staging-folder.js';
import { inspectPythonStation, type PythonStationReport } from './python-station.js';
import type { VerifyOptions } from './verify-delivery-zip.js';
import { resolveZipLimits, type ZipLimits } from './zip-limits.js';

/** Which kind of delivery zip a file is: ours (`npm`, delivery.json at the root) or the Python SDK's (`python`). */
export type DeliveryZipKind = 'npm' | 'python';

/** Options of {@link verifyPythonDeliveryZip} and {@link extractPythonDeliveryZip}. */
export interface PythonVerifyOptions extends VerifyOptions {
  /** The station's interpreter (command or path) the wheels and deploy_bootstrap.json are checked against; default `python3`. */
  python?: string;
}

/** The interpreter a Python delivery was checked against. */
export interface PythonInterpreter {
  /** Its `sys.executable`. */
  executable: string;
  /** `3.11`. */
  pythonVersion: string;
  /** `cp`. */
  implementation: string;
  /** `cp311`. */
  abi: string;
  /** Its most specific platform tag. */
  platform: string;
}

/** A Python delivery zip that passed every check, for this station's interpreter. */
export interface VerifiedPythonDelivery {
  kind: 'python';
  /** Absolute path of the zip. */
  zipPath: string;
  /** The project folder of the zip (its files are the package root once installed). */
  folder: string;
  manifest: PythonManifest;
  /** The SDK generation: from the `procvision_algorithm_sdk` wheel's version, else deploy_bootstrap.json's presence (v0.3.2). */
  generation: PythonSdkGeneration;
  /** Version of the SDK wheel in wheels/, or null. */
  sdkVersion: string | null;
  /** deploy_bootstrap.json, or null. */
  bootstrap: Record<string, unknown> | null;
  /** Wheel file names of wheels/. */
  wheels: string[];
  /** The signed listing (`<sha256>  <entry>` lines) and its sha256: the zip's content identity. */
  listing: string;
  listingSha256: string;
  signature: SignatureStatus;
  signerKeyId: string | null;
  /**
   * The SBOM derived from the wheels' METADATA (CycloneDX 1.6 JSON: one component per wheel
   * with name, version, license, purl `pkg:pypi/...`, the wheel's SHA-256 and SHA-512), and its
   * summary. The store keeps the document with the install.
   */
  sbom: SbomSummary;
  sbomDocument: string;
  interpreter: PythonInterpreter;
  entryCount: number;
  totalBytes: number;
}

/** An extracted Python delivery: the project folder's files at `stagingDir`, `wheels/` beside them. */
export interface ExtractedPythonDelivery extends VerifiedPythonDelivery {
  stagingDir: string;
}

/**
 * Tells ours from the Python SDK's delivery zips by their central directory (validated as
 * hostile input: 2001 for unsafe entries): `python` when there is no root delivery.json or
 * manifest.json and exactly one top-level folder holds a manifest.json.
 */
export async function deliveryZipKind(zipPath: string): Promise<DeliveryZipKind> {
  const { entries } = await readCentralDirectory(resolve(zipPath), resolveZipLimits());
  return pythonProjectFolder(entries) === null ? 'npm' : 'python';
}

async function verified(
  zipPath: string,
  reading: PythonZipReading,
  python: string,
  limits: ZipLimits,
  stagingDir: string | null,
): Promise<VerifiedPythonDelivery> {
  const station = await inspectPythonStation(python, { wheels: reading.wheels, requirements: reading.requirements });
  checkPythonStation(zipPath, reading, station);
  const listing = reading.listing.toString('utf8');
  const subject = { name: reading.manifest.name, version: reading.manifest.version };
  const sbom =
    stagingDir === null
      ? await sbomOfZipWheels(zipPath, subject, listing, limits)
      : await sbomOfWheels(zipPath, subject, join(stagingDir, 'wheels'), reading.wheels, limits);
  return {
    kind: 'python',
    zipPath,
    folder: reading.folder,
    manifest: reading.manifest,
    generation: reading.generation,
    sdkVersion: reading.sdkVersion,
    bootstrap: reading.bootstrap,
    wheels: reading.wheels,
    listing,
    listingSha256: createHash('sha256').update(reading.listing).digest('hex'),
    signature: reading.signature,
    signerKeyId: reading.signature.keyId,
    sbom: sbom.summary,
    sbomDocument: sbom.document,
    interpreter: interpreterOf(station),
    entryCount: reading.entryCount,
    totalBytes: reading.totalBytes,
  };
}

function interpreterOf(station: PythonStationReport): PythonInterpreter {
  return {
    executable: station.executable,
    pythonVersion: station.python_version,
    implementation: station.implementation,
    abi: station.abi,
    platform: station.platform,
  };
}

/**
 * Checks a Python SDK delivery zip (`procvision-cli package`) as hostile input without writing
 * anything: the central-directory rules of our zips (2001: traversal, absolute names, links,
 * bombs, duplicates, sizes), its layout, the SIGNATURE over the file listing (2008),
 * manifest.json for its generation (2020), then, asking the station's interpreter,
 * deploy_bootstrap.json (2021), requirements.txt (2022), a compatible wheel for every
 * requirement (2023/2024), wheel tags (2024), no source distributions (2025).
 */
export async function verifyPythonDeliveryZip(zipPath: string, options: PythonVerifyOptions = {}): Promise<VerifiedPythonDelivery> {
  const absolutePath = resolve(zipPath);
  const limits = resolveZipLimits(options.limits);
  const reading = await readPythonDeliveryZip(absolutePath, limits, options, null);
  return verified(absolutePath, reading, options.python ?? 'python3', limits, null);
}

/**
 * {@link verifyPythonDeliveryZip}, extracting into a fresh staging folder inside
 * `destinationParent` (files created exclusively); on any failure the folder is removed.
 */
export async function extractPythonDeliveryZip(
  zipPath: string,
  destinationParent: string,
  options: PythonVerifyOptions & { stagingName?: string } = {},
): Promise<ExtractedPythonDelivery> {
  const absolutePath = resolve(zipPath);
  const limits = resolveZipLimits(options.limits);
  return extractIntoStagingFolder(absolutePath, destinationParent, options.stagingName, async (stagingDir) =>
    verified(absolutePath, await readPythonDeliveryZip(absolutePath, limits, options, stagingDir), options.python ?? 'python3', limits, stagingDir),
  );
}
