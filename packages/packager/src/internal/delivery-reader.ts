import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { parseManifest, type Delivery, type Manifest, ErrorCodes } from '@procvision/manifest';
import type { ZipLimits } from '../zip-limits.js';
import { readCentralDirectory, type ZipEntry } from './central-directory.js';
import { checkLockfile, checkSignature, parseDeliveryBytes, parseJsonEntry, type SignaturePolicy, type SignatureStatus } from './delivery-metadata.js';
import { readEntry, type ByteBudget, type EntryDigest } from './entry-reader.js';
import { assertSbomSchema, checkSbom, type SbomSummary } from './sbom-check.js';
import { sbomFileName } from './sbom.js';
import { placeEntry } from './place-entry.js';
import { zipError } from './zip-error.js';

/** Everything learnt from a zip that passed every check. */
interface DeliveryReading {
  delivery: Delivery;
  manifest: Manifest;
  /** Warnings of the manifest parser (e.g. a two-part version). */
  manifestWarnings: string[];
  signature: SignatureStatus;
  /** The SBOM's summary, or null for a zip made before zips carried one. */
  sbom: SbomSummary | null;
  /** sha256 (hex) of the exact delivery.json bytes: the zip's content identity. */
  deliverySha256: string;
  entryCount: number;
  totalBytes: number;
}

const unlistedNames = new Set(['delivery.json', 'SIGNATURE']);
const metadataNames = ['delivery.json', 'SIGNATURE', 'manifest.json', 'package.json', 'package-lock.json', sbomFileName];

/**
 * Validates a delivery zip end to end, streaming every entry once. With `destination` set
 * (an existing empty folder), every file is also written below it, created exclusively.
 */
export async function readDeliveryZip(zipPath: string, limits: ZipLimits, policy: SignaturePolicy, destination: string | null): Promise<DeliveryReading> {
  const { entries } = await readCentralDirectory(zipPath, limits);
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  for (const name of metadataNames) {
    const entry = byName.get(name);
    if (entry !== undefined && entry.uncompressedSize > limits.maxMetadataBytes)
      throw zipError(ErrorCodes.invalidZip, zipPath, name, `is ${entry.uncompressedSize} bytes, more than the metadata limit of ${limits.maxMetadataBytes}`);
  }
  const budget: ByteBudget = { remaining: limits.maxTotalBytes };
  const readMetadata = async (name: string, missingCode: typeof ErrorCodes.invalidZip | typeof ErrorCodes.manifestMissing | null): Promise<Buffer | null> => {
    const entry = byName.get(name);
    if (entry === undefined) {
      if (missingCode === null) return null;
      throw zipError(
        missingCode,
        zipPath,
        name,
        missingCode === ErrorCodes.manifestMissing ? 'is missing: a delivery zip needs manifest.json at its root' : 'is missing from the zip',
      );
    }
    const digest = await readEntry(zipPath, entry, { kind: 'memory' }, budget);
    const path = await placeEntry(zipPath, destination, entry);
    if (path !== null) await writeFile(path, digest.bytes ?? Buffer.alloc(0), { flag: 'wx', mode: 0o644 });
    return digest.bytes;
  };

  const deliveryBytes = (await readMetadata('delivery.json', ErrorCodes.invalidZip)) ?? Buffer.alloc(0);
  const delivery = parseDeliveryBytes(zipPath, deliveryBytes);
  const signature = checkSignature(zipPath, deliveryBytes, await readMetadata('SIGNATURE', null), policy);
  checkListing(zipPath, entries, delivery);

  const checkDigest = (entry: ZipEntry, digest: EntryDigest): void => {
    const listed = delivery.files[entry.name];
    if (listed !== undefined && digest.sha256 !== listed.sha256)
      throw zipError(
        ErrorCodes.signatureInvalid,
        zipPath,
        entry.name,
        `sha256 ${digest.sha256} differs from delivery.json (${listed.sha256}): the file was altered`,
      );
    for (const dependency of delivery.dependencies.filter((candidate) => candidate.tarball === entry.name)) {
      if (`sha512-${digest.sha512 ?? ''}` !== dependency.integrity)
        throw zipError(
          ErrorCodes.signatureInvalid,
          zipPath,
          entry.name,
          `sha512 does not match the lockfile integrity of ${dependency.name}@${dependency.version}: the tarball was altered`,
        );
    }
  };
  const metadata = new Map<string, Buffer>();
  for (const name of ['manifest.json', 'package.json', 'package-lock.json', sbomFileName]) {
    const entry = byName.get(name);
    const bytes = await readMetadata(name, name === 'manifest.json' ? ErrorCodes.manifestMissing : name === sbomFileName ? null : ErrorCodes.invalidZip);
    if (entry === undefined || bytes === null) continue;
    checkDigest(entry, { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), sha512: null, bytes });
    metadata.set(name, bytes);
  }
  const { manifest, warnings: manifestWarnings } = parseManifest(
    parseJsonEntry(zipPath, 'manifest.json', metadata.get('manifest.json') ?? Buffer.alloc(0), ErrorCodes.manifestMissing),
    { source: `${zipPath}: entry "manifest.json"` },
  );
  if (manifest.name !== delivery.name || manifest.version !== delivery.version) {
    throw zipError(
      ErrorCodes.invalidZip,
      zipPath,
      'manifest.json',
      `names ${manifest.name}@${manifest.version} but delivery.json names ${delivery.name}@${delivery.version}`,
    );
  }
  checkLockfile(zipPath, delivery, metadata.get('package-lock.json') ?? Buffer.alloc(0));
  const sbomBytes = metadata.get(sbomFileName);
  const sbom = sbomBytes === undefined ? null : checkSbom(zipPath, delivery, sbomBytes);
  if (sbomBytes !== undefined) await assertSbomSchema(zipPath, sbomFileName, sbomBytes);

  for (const entry of entries) {
    if (metadataNames.includes(entry.name)) continue;
    const path = await placeEntry(zipPath, destination, entry);
    if (entry.isDirectory) continue;
    checkDigest(entry, await readEntry(zipPath, entry, path === null ? { kind: 'discard' } : { kind: 'file', path }, budget));
  }
  return {
    delivery,
    manifest,
    manifestWarnings,
    signature,
    sbom,
    deliverySha256: createHash('sha256').update(deliveryBytes).digest('hex'),
    entryCount: entries.length,
    totalBytes: limits.maxTotalBytes - budget.remaining,
  };
}

/** Every file is listed in delivery.json with its size, and every listed file is present. */
function checkListing(zipPath: string, entries: ZipEntry[], delivery: Delivery): void {
  const present = new Set<string>();
  for (const entry of entries) {
    if (entry.isDirectory || unlistedNames.has(entry.name)) continue;
    present.add(entry.name);
    const listed = delivery.files[entry.name];
    if (listed === undefined) throw zipError(ErrorCodes.invalidZip, zipPath, entry.name, 'is not listed in delivery.json (every file of the zip must be)');
    if (listed.size !== entry.uncompressedSize)
      throw zipError(
        ErrorCodes.signatureInvalid,
        zipPath,
        entry.name,
        `is ${entry.uncompressedSize} bytes but delivery.json lists ${listed.size}: the file was altered`,
      );
  }
  for (const name of Object.keys(delivery.files)) {
    if (present.has(name)) continue;
    const code = name.startsWith('npm-packages/')
      ? ErrorCodes.dependenciesMissing
      : name === 'manifest.json'
        ? ErrorCodes.manifestMissing
        : ErrorCodes.invalidZip;
    throw zipError(code, zipPath, name, 'is listed in delivery.json but missing from the zip');
  }
  for (const dependency of delivery.dependencies) {
    if (!present.has(dependency.tarball))
      throw zipError(
        ErrorCodes.dependenciesMissing,
        zipPath,
        dependency.tarball,
        `is missing: it carries ${dependency.name}@${dependency.version} of the install set`,
      );
  }
}
