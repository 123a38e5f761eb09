import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes } from '@procvision/manifest';
import type { ZipLimits } from '../zip-limits.js';
import { readCentralDirectory } from './central-directory.js';
import { readEntry, type ByteBudget } from './entry-reader.js';
import { createSbom, packageUrl, type SbomPackage } from './sbom.js';
import { sbomSummary, type SbomSummary } from './sbom-check.js';
import { zipError } from './zip-error.js';

/** A Python delivery's SBOM, derived from its wheels: the CycloneDX document and its summary. */
export interface DerivedSbom {
  /** The CycloneDX 1.6 JSON document (the bytes the store keeps with the install). */
  document: string;
  summary: SbomSummary;
}

/** The header fields of a wheel's `*.dist-info/METADATA` (core metadata, RFC 822 style) the SBOM needs. */
interface WheelMetadata {
  name: string;
  version: string;
  license?: string;
  requires: string[];
}

/** PEP 503 name normalisation (`Foo_Bar.baz` -> `foo-bar-baz`). */
function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * Parses core metadata headers (continuation lines folded in; the body after the first blank
 * line ignored). The license is `License-Expression` (metadata 2.4), else a one-line `License`,
 * else the `License ::` classifiers' last parts; `Requires-Dist` without an `extra` marker are
 * the requirements.
 */
export function parseWheelMetadata(text: string): WheelMetadata | null {
  const fields: Array<[string, string]> = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    const last = fields.at(-1);
    if (/^[ \t]/.test(line) && last !== undefined) last[1] += `\n${line.trim()}`;
    else {
      const colon = line.indexOf(':');
      if (colon > 0) fields.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
    }
  }
  const all = (key: string): string[] => fields.filter(([field]) => field === key).map(([, value]) => value);
  const name = all('name')[0];
  const version = all('version')[0];
  if (name === undefined || version === undefined || name === '' || version === '') return null;
  const expression = all('license-expression')[0];
  const plain = all('license')[0];
  const classifiers = all('classifier')
    .filter((value) => value.startsWith('License ::'))
    .map((value) => value.split('::').at(-1)?.trim() ?? '')
    .filter((value) => value !== '' && value !== 'OSI Approved');
  const license =
    expression !== undefined && expression !== ''
      ? expression
      : plain !== undefined && plain !== '' && !plain.includes('\n') && plain.length <= 120 && !/^unknown$/i.test(plain)
        ? plain
        : classifiers.length > 0
          ? classifiers.join(' OR ')
          : undefined;
  const requires = all('requires-dist')
    .filter((value) => !/;\s*.*\bextra\s*==/.test(value))
    .map((value) => /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(value)?.[0])
    .filter((value): value is string => value !== undefined)
    .map(normalise);
  return { name, version, ...(license === undefined ? {} : { license }), requires };
}

/** sha256 and sha512 (hex) of a file, streamed. */
async function fileHashes(path: string): Promise<{ 'SHA-256': string; 'SHA-512': string }> {
  const sha256 = createHash('sha256');
  const sha512 = createHash('sha512');
  for await (const chunk of createReadStream(path)) {
    sha256.update(chunk as Buffer);
    sha512.update(chunk as Buffer);
  }
  return { 'SHA-256': sha256.digest('hex'), 'SHA-512': sha512.digest('hex') };
}

/** Reads one wheel's METADATA with the zip rules of our zips (a wheel is hostile input too): 2001 naming the wheel when it has none. */
async function wheelMetadata(zipPath: string, wheelName: string, wheelPath: string, limits: ZipLimits): Promise<WheelMetadata> {
  const { entries } = await readCentralDirectory(wheelPath, limits);
  const candidates = entries.filter((entry) => !entry.isDirectory && /^[^/]+\.dist-info\/METADATA$/.test(entry.name));
  const entry = candidates[0];
  if (entry === undefined || candidates.length > 1)
    throw zipError(ErrorCodes.invalidZip, zipPath, `wheels/${wheelName}`, `is not a wheel: ${candidates.length} *.dist-info/METADATA files (one expected)`);
  if (entry.uncompressedSize > limits.maxMetadataBytes)
    throw zipError(
      ErrorCodes.invalidZip,
      zipPath,
      `wheels/${wheelName}`,
      `has a ${entry.name} of ${entry.uncompressedSize} bytes, more than the metadata limit`,
    );
  const budget: ByteBudget = { remaining: limits.maxMetadataBytes };
  const digest = await readEntry(wheelPath, entry, { kind: 'memory' }, budget);
  const metadata = parseWheelMetadata((digest.bytes ?? Buffer.alloc(0)).toString('utf8'));
  if (metadata === null) throw zipError(ErrorCodes.invalidZip, zipPath, `wheels/${wheelName}`, `has a ${entry.name} without Name and Version`);
  return metadata;
}

/**
 * The CycloneDX 1.6 SBOM of a Python delivery, derived from the wheels in `wheelsDir` (file
 * names `wheels`): one library component per wheel with its METADATA's name, version and
 * license, purl `pkg:pypi/<name>@<version>`, the wheel file's SHA-256 and SHA-512, and the
 * Requires-Dist edges between shipped wheels. No timestamp: the same zip gives the same bytes.
 */
export async function sbomOfWheels(
  zipPath: string,
  subject: { name: string; version: string },
  wheelsDir: string,
  wheels: readonly string[],
  limits: ZipLimits,
): Promise<DerivedSbom> {
  const read: Array<{ metadata: WheelMetadata; hashes: SbomPackage['hashes'] }> = [];
  for (const wheel of [...wheels].sort()) {
    const path = join(wheelsDir, wheel);
    read.push({ metadata: await wheelMetadata(zipPath, wheel, path, limits), hashes: await fileHashes(path) });
  }
  const refOf = new Map(read.map(({ metadata }) => [normalise(metadata.name), packageUrl('pypi', metadata.name, metadata.version)]));
  const packages: SbomPackage[] = read.map(({ metadata, hashes }) => ({
    ecosystem: 'pypi',
    name: metadata.name,
    version: metadata.version,
    ...(metadata.license === undefined ? {} : { license: metadata.license }),
    hashes,
    ref: refOf.get(normalise(metadata.name)) as string,
    dependsOn: metadata.requires.map((name) => refOf.get(name)).filter((ref): ref is string => ref !== undefined),
  }));
  const document = createSbom({ ...subject, dependsOn: packages.map((entry) => entry.ref) }, packages);
  return { document, summary: sbomSummary(zipPath, Buffer.from(document)) };
}

/**
 * {@link sbomOfWheels} for a zip that is only verified (nothing extracted): its wheels/ entries
 * are written to a private temporary folder (each checked against the sha256 of the verified
 * `listing`), read, and the folder removed.
 */
export async function sbomOfZipWheels(zipPath: string, subject: { name: string; version: string }, listing: string, limits: ZipLimits): Promise<DerivedSbom> {
  const verified = new Map(
    listing
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => [line.slice(line.indexOf('  ') + 2), line.slice(0, line.indexOf('  '))]),
  );
  const folder = await mkdtemp(join(tmpdir(), 'procvision-wheels-'));
  try {
    const { entries } = await readCentralDirectory(zipPath, limits);
    const budget: ByteBudget = { remaining: limits.maxTotalBytes };
    const wheels: string[] = [];
    for (const entry of entries) {
      if (entry.isDirectory || !entry.name.startsWith('wheels/') || !entry.name.endsWith('.whl')) continue;
      const name = entry.name.slice('wheels/'.length);
      const digest = await readEntry(zipPath, entry, { kind: 'file', path: join(folder, name) }, budget);
      if (digest.sha256 !== verified.get(entry.name))
        throw zipError(ErrorCodes.signatureInvalid, zipPath, entry.name, 'changed since the zip was verified (its sha256 differs from the listing)');
      wheels.push(name);
    }
    return await sbomOfWheels(zipPath, subject, folder, wheels, limits);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
