import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { readCentralDirectory } from './internal/central-directory.js';
import { readEntry, type ByteBudget } from './internal/entry-reader.js';
import { pythonListing } from './internal/python-delivery-reader.js';
import { checkPythonZipLayout, pythonProjectFolder } from './internal/python-zip-layout.js';
import { writeZipFile } from './internal/write-zip.js';
import { zipError } from './internal/zip-error.js';
import { signDelivery, type KeyInput } from './signing.js';
import { resolveZipLimits } from './zip-limits.js';
import { ErrorCodes } from '@procvision/manifest';

/**
 * Signs a Python SDK delivery zip: writes `outputPath` (default: the zip itself, replaced
 * atomically) with every entry of the zip plus a root `SIGNATURE` (ed25519, the same file as
 * in our zips) over the listing of `<sha256>  <entry name>` lines of every file, sorted. An
 * existing SIGNATURE is replaced. The zip is checked as hostile input first (2001).
 * @returns the signer's key id
 */
export async function signPythonDeliveryZip(zipPath: string, privateKey: KeyInput, outputPath: string = zipPath): Promise<string> {
  const absolutePath = resolve(zipPath);
  const limits = resolveZipLimits();
  const { entries } = await readCentralDirectory(absolutePath, limits);
  const folder = pythonProjectFolder(entries);
  if (folder === null) throw zipError(ErrorCodes.invalidZip, absolutePath, null, 'is not a Python SDK delivery zip (one <folder>/manifest.json, wheels/)');
  checkPythonZipLayout(absolutePath, entries, folder);
  const files = entries.filter((entry) => !entry.isDirectory && entry.name !== 'SIGNATURE');
  const hashes = new Map<string, string>();
  const budget: ByteBudget = { remaining: limits.maxTotalBytes };
  for (const entry of files) hashes.set(entry.name, (await readEntry(absolutePath, entry, { kind: 'discard' }, budget)).sha256);
  const signature = signDelivery(pythonListing(hashes), privateKey);
  const target = resolve(outputPath);
  await writeZipFile(target, [
    ...files.map((entry) => ({ name: entry.name, source: entry.open() as Readable, store: entry.name.endsWith('.whl') })),
    { name: 'SIGNATURE', source: `${JSON.stringify(signature, null, 2)}\n`, store: false },
  ]);
  return signature.key_id;
}
