import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ErrorCodes, ProcVisionError } from '@procvision/manifest';
import { type DesiredBinding, type DesiredState, desiredStateFile, desiredStateLimits, parseDesiredState, readDesiredStateFile } from './desired-state.js';

/** Largest zip a repository may serve (the service's upload limit). */
const zipBytesLimit = 1024 * 1024 * 1024;
/** How long one download from an https repository may take. */
const downloadTimeoutMs = 600_000;

/** A zip of a repository, ready to install; `identity` changes when the zip does (size and mtime, or ETag). */
export interface RepositoryZip {
  path: string;
  identity: string;
  /** Removes a downloaded copy (nothing for a folder's own file). */
  release(): Promise<void>;
}

/**
 * Where a station's desired state comes from: a folder (a ConfigMap, an NFS share, a USB stick;
 * only read) or an `https://` base URL serving the same files. It holds `desired.json` and the
 * delivery zips it names.
 */
export interface PackageRepository {
  /** The folder or URL, for messages and `/state`. */
  readonly location: string;
  /** Reads and validates `desired.json`. */
  desired(): Promise<DesiredState>;
  /**
   * The zip of a desired binding: its `zip` file, else (folders only) the one file named
   * `<name>-v<version>-*.zip` (the one for this platform when there are several).
   * @throws ProcVisionError 2009 when it is missing
   */
  zipFor(binding: DesiredBinding): Promise<RepositoryZip>;
}

function missing(location: string, binding: DesiredBinding, what: string): ProcVisionError {
  return new ProcVisionError(ErrorCodes.packageNotInstalled, `the repository ${location} has no zip for ${binding.name}@${binding.version}: ${what}`);
}

/** A repository folder. */
function folderRepository(folder: string): PackageRepository {
  const root = resolve(folder);
  return {
    location: root,
    desired: () => readDesiredStateFile(join(root, desiredStateFile)),
    async zipFor(binding) {
      let file = binding.zip;
      if (file === undefined) {
        const prefix = `${binding.name.replace(/^@/, '').replace(/\//g, '-')}-v${binding.version}-`;
        const names = (await readdir(root).catch(() => [] as string[])).filter((name) => name.startsWith(prefix) && name.endsWith('.zip')).sort();
        const platform = `-${process.platform}-${process.arch}`;
        file = names.find((name) => name.includes(platform)) ?? names[0];
        if (file === undefined) throw missing(root, binding, `no file ${prefix}*.zip (or give "zip" in desired.json)`);
      }
      const path = join(root, file);
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile() !== true) throw missing(root, binding, `${file} is not a file there`);
      return { path, identity: `${file}:${info.size}:${info.mtimeMs}`, release: () => Promise.resolve() };
    },
  };
}

async function fetchBounded(url: string, maxBytes: number, timeoutMs: number): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (error) {
    throw new ProcVisionError(ErrorCodes.packageNotInstalled, `cannot fetch ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ProcVisionError(ErrorCodes.packageNotInstalled, `${url} answered ${response.status}`);
  }
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > maxBytes) {
    await response.body?.cancel();
    throw new ProcVisionError(ErrorCodes.packageNotInstalled, `${url} is ${length} bytes; at most ${maxBytes} are read`);
  }
  return response;
}

/** A repository served over https (http only on loopback, for tests and a local mirror). */
function urlRepository(base: string): PackageRepository {
  const location = base.replace(/\/+$/, '');
  return {
    location,
    async desired() {
      const url = `${location}/${desiredStateFile}`;
      const response = await fetchBounded(url, desiredStateLimits.fileBytes, 30_000);
      const text = await response.text();
      if (Buffer.byteLength(text) > desiredStateLimits.fileBytes)
        throw new ProcVisionError(ErrorCodes.invalidParams, `${url}: larger than ${desiredStateLimits.fileBytes} bytes`);
      return parseDesiredState(text, url);
    },
    async zipFor(binding) {
      if (binding.zip === undefined) throw missing(location, binding, 'an https repository needs "zip" (the file name) in each binding of desired.json');
      const url = `${location}/${encodeURIComponent(binding.zip)}`;
      const response = await fetchBounded(url, zipBytesLimit, downloadTimeoutMs);
      const folder = await mkdtemp(join(tmpdir(), 'procvision-repository-'));
      const path = join(folder, binding.zip);
      let received = 0;
      const limit = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          received += chunk.length;
          callback(
            received > zipBytesLimit ? new ProcVisionError(ErrorCodes.packageNotInstalled, `${url} is larger than ${zipBytesLimit} bytes`) : null,
            chunk,
          );
        },
      });
      try {
        await pipeline(Readable.fromWeb(response.body! as WebReadableStream), limit, createWriteStream(path));
      } catch (error) {
        await rm(folder, { recursive: true, force: true });
        throw ProcVisionError.isInstance(error)
          ? error
          : new ProcVisionError(ErrorCodes.packageNotInstalled, `cannot download ${url}: ${(error as Error).message}`, { cause: error });
      }
      const tag = response.headers.get('etag') ?? response.headers.get('last-modified') ?? `${received}`;
      return { path, identity: `${binding.zip}:${tag}`, release: () => rm(folder, { recursive: true, force: true }) };
    },
  };
}

/**
 * The repository at `location`: an `https://` (or loopback `http://`) base URL, else a folder.
 * @throws ProcVisionError 1006 for an http:// URL beyond loopback or another scheme
 */
export function openPackageRepository(location: string): PackageRepository {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    const url = new URL(location);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return urlRepository(location);
    throw new ProcVisionError(ErrorCodes.invalidParams, `repository ${location}: use an https:// URL (http:// only on loopback) or a folder`);
  }
  return folderRepository(location);
}
