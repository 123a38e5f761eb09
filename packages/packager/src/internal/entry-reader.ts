import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import type { ZipEntry } from './central-directory.js';
import { zipError } from './zip-error.js';

/** What was actually read from one entry. */
export interface EntryDigest {
  size: number;
  sha256: string;
  /** Base64 sha512 (the npm `integrity` form), computed for `.tgz` entries only. */
  sha512: string | null;
  /** The bytes, when the caller asked to keep them (metadata files). */
  bytes: Buffer | null;
}

/** Where an entry's bytes go: a file created exclusively, memory, or nowhere (verify only). */
type EntrySink = { kind: 'file'; path: string } | { kind: 'memory' } | { kind: 'discard' };

/** Shared byte budget for the whole zip (total uncompressed limit on the actual bytes). */
export interface ByteBudget {
  remaining: number;
}

/**
 * Streams one entry out of the zip, counting and hashing the real bytes: an entry that
 * inflates past its declared size or past the remaining budget is stopped at once (2001);
 * a CRC mismatch is 2001. Files are created with flag `wx`, never overwriting anything.
 */
export async function readEntry(zipPath: string, entry: ZipEntry, sink: EntrySink, budget: ByteBudget): Promise<EntryDigest> {
  const sha256 = createHash('sha256');
  const sha512 = entry.name.endsWith('.tgz') ? createHash('sha512') : null;
  const kept: Buffer[] = [];
  let size = 0;
  let crc = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      size += chunk.length;
      budget.remaining -= chunk.length;
      if (size > entry.uncompressedSize) {
        callback(
          zipError(ErrorCodes.invalidZip, zipPath, entry.name, `inflates beyond its declared ${entry.uncompressedSize} bytes (zip bomb or corrupt entry)`),
        );
        return;
      }
      if (budget.remaining < 0) {
        callback(zipError(ErrorCodes.invalidZip, zipPath, entry.name, 'pushes the total extracted bytes above the limit'));
        return;
      }
      sha256.update(chunk);
      sha512?.update(chunk);
      crc = crc32(chunk, crc);
      if (sink.kind === 'memory') kept.push(chunk);
      callback(null, sink.kind === 'file' ? chunk : undefined);
    },
  });
  const target =
    sink.kind === 'file' ? createWriteStream(sink.path, { flags: 'wx', mode: 0o644 }) : new Writable({ write: (_chunk, _encoding, callback) => callback() });
  try {
    await pipeline(entry.open(), meter, target);
  } catch (error) {
    if (ProcVisionError.isInstance(error)) throw error;
    throw zipError(ErrorCodes.invalidZip, zipPath, entry.name, `cannot be read (${(error as Error).message})`, error);
  }
  if (size !== entry.uncompressedSize)
    throw zipError(ErrorCodes.invalidZip, zipPath, entry.name, `holds ${size} bytes but the central directory declares ${entry.uncompressedSize}`);
  if (crc >>> 0 !== entry.crc32) throw zipError(ErrorCodes.invalidZip, zipPath, entry.name, 'fails its CRC-32 check (corrupt entry)');
  return { size, sha256: sha256.digest('hex'), sha512: sha512?.digest('base64') ?? null, bytes: sink.kind === 'memory' ? Buffer.concat(kept) : null };
}
