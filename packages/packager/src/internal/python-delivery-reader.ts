import { writeFile } from 'node:fs/promises';
import { type PythonManifest, type PythonSdkGeneration, ProcVisionError, parsePythonManifest, ErrorCodes } from '@procvision/manifest';
import type { ZipLimits } from '../zip-limits.js';
import { readCentralDirectory } from './central-directory.js';
import { checkSignature, parseJsonEntry, type SignaturePolicy, type SignatureStatus } from './delivery-metadata.js';
import { readEntry, type ByteBudget } from './entry-reader.js';
import { checkPythonZipLayout, pythonProjectFolder } from './python-zip-layout.js';
import { placeEntry } from './place-entry.js';
import { zipError } from './zip-error.js';

/** Everything learnt from the bytes of a Python delivery zip (before the station is asked). */
export interface PythonZipReading {
  folder: string;
  manifest: PythonManifest;
  generation: PythonSdkGeneration;
  /** Version of the `procvision_algorithm_sdk` wheel in wheels/, or null. */
  sdkVersion: string | null;
  /** deploy_bootstrap.json as written, or null (v0.0.6 zips have none). */
  bootstrap: Record<string, unknown> | null;
  requirements: string;
  /** File names in wheels/ (all `.whl`). */
  wheels: string[];
  /** The signed listing: `<sha256>  <entry name>\n` per file, sorted by name. */
  listing: Buffer;
  signature: SignatureStatus;
  entryCount: number;
  totalBytes: number;
}

const sdistPattern = /\.(tar\.gz|tgz|tar\.bz2|tar\.xz|tar|zip|egg)$/i;

/**
 * The bytes a Python delivery zip's SIGNATURE signs: one line `<sha256 hex>  <entry name>` per
 * file entry (SIGNATURE itself excluded), sorted by name, UTF-8, each ending in `\n`.
 */
export function pythonListing(files: ReadonlyMap<string, string>): Buffer {
  const names = [...files.keys()].filter((name) => name !== 'SIGNATURE').sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
  return Buffer.from(names.map((name) => `${files.get(name) ?? ''}  ${name}\n`).join(''), 'utf8');
}

/** The generation a zip was built with: its SDK wheel's version, else whether it carries deploy_bootstrap.json. */
function generationOf(sdkVersion: string | null, hasBootstrap: boolean): PythonSdkGeneration {
  if (sdkVersion !== null) return /^0\.0\./.test(sdkVersion) ? 'v0.0.6' : 'v0.3.2';
  return hasBootstrap ? 'v0.3.2' : 'v0.0.6';
}

/**
 * Reads a Python delivery zip as hostile input, streaming every entry once (hashing it, and
 * with `destination` writing it below that empty folder, created exclusively): the central
 * directory rules of our zips, the layout, the signature over the listing, no source
 * distributions in wheels/, manifest.json for its generation.
 */
export async function readPythonDeliveryZip(
  zipPath: string,
  limits: ZipLimits,
  policy: SignaturePolicy,
  destination: string | null,
): Promise<PythonZipReading> {
  const { entries } = await readCentralDirectory(zipPath, limits);
  const folder = pythonProjectFolder(entries);
  if (folder === null)
    throw zipError(
      ErrorCodes.manifestMissing,
      zipPath,
      null,
      'is neither a ProcVision delivery zip (no delivery.json) nor a Python SDK delivery zip (no <folder>/manifest.json)',
    );
  const layout = checkPythonZipLayout(zipPath, entries, folder);
  const metadataNames = new Set([`${folder}/manifest.json`, `${folder}/requirements.txt`, `${folder}/deploy_bootstrap.json`, 'SIGNATURE']);
  const kept = new Map<string, Buffer>();
  const hashes = new Map<string, string>();
  const budget: ByteBudget = { remaining: limits.maxTotalBytes };
  for (const entry of entries) {
    const isMetadata = metadataNames.has(entry.name);
    if (isMetadata && entry.uncompressedSize > limits.maxMetadataBytes)
      throw zipError(
        ErrorCodes.invalidZip,
        zipPath,
        entry.name,
        `is ${entry.uncompressedSize} bytes, more than the metadata limit of ${limits.maxMetadataBytes}`,
      );
    const path = await placeEntry(zipPath, destination, entry, layout.targetOf(entry.name));
    if (entry.isDirectory) continue;
    const digest = await readEntry(zipPath, entry, isMetadata ? { kind: 'memory' } : path === null ? { kind: 'discard' } : { kind: 'file', path }, budget);
    hashes.set(entry.name, digest.sha256);
    if (isMetadata) {
      kept.set(entry.name, digest.bytes ?? Buffer.alloc(0));
      if (path !== null) await writeExclusive(path, digest.bytes ?? Buffer.alloc(0));
    }
  }
  const listing = pythonListing(hashes);
  const signature = checkSignature(zipPath, listing, kept.get('SIGNATURE') ?? null, policy);
  const wheelFiles = entries.filter((entry) => !entry.isDirectory && entry.name.startsWith('wheels/')).map((entry) => entry.name.slice('wheels/'.length));
  for (const file of wheelFiles) {
    if (sdistPattern.test(file))
      throw zipError(
        ErrorCodes.pythonSourceDistribution,
        zipPath,
        `wheels/${file}`,
        'is a source distribution: building it on the station needs a compiler and a network; ship binary wheels only (pip download --only-binary=:all:, or pip wheel)',
      );
    if (!file.endsWith('.whl'))
      throw zipError(ErrorCodes.pythonSourceDistribution, zipPath, `wheels/${file}`, 'is not a wheel (.whl); wheels/ may hold binary wheels only');
  }
  const manifestBytes = kept.get(`${folder}/manifest.json`);
  if (manifestBytes === undefined) throw zipError(ErrorCodes.manifestMissing, zipPath, `${folder}/manifest.json`, 'is missing');
  const requirementsBytes = kept.get(`${folder}/requirements.txt`);
  if (requirementsBytes === undefined)
    throw zipError(
      ErrorCodes.pythonRequirementsInvalid,
      zipPath,
      `${folder}/requirements.txt`,
      'is missing: the install needs it (pip install --no-index --find-links wheels -r requirements.txt)',
    );
  const bootstrapBytes = kept.get(`${folder}/deploy_bootstrap.json`);
  const bootstrap = bootstrapBytes === undefined ? null : parseBootstrap(zipPath, `${folder}/deploy_bootstrap.json`, bootstrapBytes);
  const sdkWheel = wheelFiles.find((file) => /^procvision[-_.]algorithm[-_.]sdk-/i.test(file));
  const sdkVersion = sdkWheel?.split('-')[1] ?? null;
  const generation = generationOf(sdkVersion, bootstrap !== null);
  const manifestValue = parseJsonEntry(zipPath, `${folder}/manifest.json`, manifestBytes, ErrorCodes.manifestMissing);
  let manifest: PythonManifest;
  try {
    manifest = parsePythonManifest(manifestValue, { generation, source: `${zipPath}: entry "${folder}/manifest.json"` });
  } catch (error) {
    throw new ProcVisionError(ErrorCodes.pythonManifestInvalid, (error as Error).message, {
      cause: error,
      details: { zip: zipPath, entry: `${folder}/manifest.json`, generation },
    });
  }
  return {
    folder,
    manifest,
    generation,
    sdkVersion,
    bootstrap,
    requirements: requirementsBytes.toString('utf8'),
    wheels: wheelFiles,
    listing,
    signature,
    entryCount: entries.length,
    totalBytes: limits.maxTotalBytes - budget.remaining,
  };
}

function parseBootstrap(zipPath: string, name: string, bytes: Buffer): Record<string, unknown> {
  const value = parseJsonEntry(zipPath, name, bytes, ErrorCodes.invalidZip);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw zipError(
      ErrorCodes.pythonInterpreterMismatch,
      zipPath,
      name,
      'must be a JSON object such as {"python_version": "3.11", "abi": "cp311", "implementation": "", "has_embedded_python": false}',
    );
  return value as Record<string, unknown>;
}

async function writeExclusive(path: string, bytes: Buffer): Promise<void> {
  await writeFile(path, bytes, { flag: 'wx', mode: 0o644 });
}
