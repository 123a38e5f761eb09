import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { ErrorCodes } from '@procvision/manifest';
import { readCentralDirectory } from './internal/central-directory.js';
import { readEntry } from './internal/entry-reader.js';
import { writeZipFile } from './internal/write-zip.js';
import { zipError } from './internal/zip-error.js';
import { deliveryZipKind, type DeliveryZipKind } from './python-delivery-zip.js';
import { signPythonDeliveryZip } from './sign-python-delivery-zip.js';
import { signDelivery, type KeyInput } from './signing.js';
import { verifyDeliveryZip } from './verify-delivery-zip.js';
import { resolveZipLimits } from './zip-limits.js';

/** What {@link signDeliveryZip} signed. */
export interface SignedZip {
  kind: DeliveryZipKind;
  /** The signer's key id. */
  keyId: string;
  /** The zip written. */
  zipPath: string;
}

/**
 * Signs a delivery zip of either kind with an ed25519 key, writing `outputPath` (default: the
 * zip itself, replaced atomically). Ours: verified end to end first (a zip that fails its own
 * hashes is never signed), then SIGNATURE over the exact delivery.json bytes, entries written
 * in the packager's order and compression, so signing afterwards gives the bytes `package
 * --sign-key` gives. A Python SDK zip: {@link signPythonDeliveryZip}. An existing SIGNATURE is
 * replaced.
 */
export async function signDeliveryZip(zipPath: string, privateKey: KeyInput, outputPath: string = zipPath): Promise<SignedZip> {
  const absolutePath = resolve(zipPath);
  const target = resolve(outputPath);
  const kind = await deliveryZipKind(absolutePath);
  if (kind === 'python') return { kind, keyId: await signPythonDeliveryZip(absolutePath, privateKey, target), zipPath: target };
  await verifyDeliveryZip(absolutePath);
  const limits = resolveZipLimits();
  const { entries } = await readCentralDirectory(absolutePath, limits);
  const deliveryEntry = entries.find((entry) => entry.name === 'delivery.json');
  if (deliveryEntry === undefined) throw zipError(ErrorCodes.invalidZip, absolutePath, 'delivery.json', 'is missing from the zip');
  const deliveryBytes = (await readEntry(absolutePath, deliveryEntry, { kind: 'memory' }, { remaining: limits.maxMetadataBytes })).bytes ?? Buffer.alloc(0);
  const signature = signDelivery(deliveryBytes, privateKey);
  const files = entries.filter((entry) => !entry.isDirectory && entry.name !== 'SIGNATURE');
  const written = [
    ...files.map((entry) => ({ name: entry.name, source: entry.open() as Readable, store: entry.name.endsWith('.tgz') })),
    { name: 'SIGNATURE', source: `${JSON.stringify(signature, null, 2)}\n`, store: false },
  ].sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
  await writeZipFile(target, written);
  return { kind, keyId: signature.key_id, zipPath: target };
}
