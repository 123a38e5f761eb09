import { loadSharp } from './load-sharp.js';
import type { DevEntry } from '../dev-store.js';
import type { FrameImageMeta } from '../image-meta.js';
import { ImageLoadError } from '../image-load-error.js';
import { detectContent } from './detect-encoding.js';
import { decodeNpy } from './npy.js';
import { toThreeChannels } from './pixels.js';
import type { ColorSpace, FrameHeader } from './layout.js';
import { snapshotOfMemory } from './read-segment.js';
import type { SegmentSnapshot } from './segment-snapshot.js';

function stable(header: Omit<FrameHeader, 'sequence' | 'capacity' | 'frameId' | 'crc32c' | 'timestampMs'>, payload: Uint8Array): SegmentSnapshot {
  const full: FrameHeader = { ...header, sequence: 0, capacity: payload.byteLength, frameId: 0, crc32c: 0, timestampMs: 0 };
  return { header: full, payload, isIntact: () => true, release: () => {} };
}

async function encodedSize(bytes: Uint8Array, sharedMemId: string): Promise<{ width: number; height: number }> {
  try {
    const metadata = await (await loadSharp())(bytes).metadata();
    if (metadata.width && metadata.height) return { width: metadata.width, height: metadata.height };
  } catch (error) {
    throw new ImageLoadError('decode-failed', sharedMemId, `cannot read the image header: ${(error as Error).message}`, { cause: error });
  }
  throw new ImageLoadError('decode-failed', sharedMemId, 'the image has no width/height');
}

/**
 * A snapshot of a dev-store entry: pixels as raw frames, encoded bytes (JPEG/PNG, sizes from
 * the write call or the image header), whole segments, or, for Python-convention files that
 * are neither, raw pixels sized by image_meta (width*height*3 or width*height bytes).
 */
export async function devEntrySnapshot(entry: DevEntry, sharedMemId: string, meta: FrameImageMeta | undefined): Promise<SegmentSnapshot> {
  if (entry.kind === 'segment') return snapshotOfMemory(entry.bytes, sharedMemId);
  if (entry.kind === 'npy') {
    const decoded = decodeNpy(entry.bytes);
    if (!decoded.ok) throw new ImageLoadError('bad-header', sharedMemId, `${entry.path}: ${decoded.message}`, { details: { path: entry.path } });
    const { width, height, channels, pixels } = decoded;
    // HxW / HxWx1 is grey; like the Python reader, it is expanded when image_meta asks for colour.
    if (channels === 1 && meta !== undefined && meta.color_space !== 'GRAY') {
      const rgb = toThreeChannels(pixels, 1);
      return stable(
        { encoding: 'raw', colorSpace: meta.color_space === 'BGR' ? 'BGR' : 'RGB', width, height, channels: 3, payloadLength: rgb.byteLength },
        rgb,
      );
    }
    const colorSpace: ColorSpace = channels === 1 ? 'GRAY' : meta?.color_space === 'BGR' ? 'BGR' : 'RGB';
    return stable({ encoding: 'raw', colorSpace, width, height, channels, payloadLength: pixels.byteLength }, pixels);
  }
  if (entry.kind === 'pixels') {
    const { width, height, channels, colorSpace } = entry.layout;
    return stable({ encoding: 'raw', colorSpace, width, height, channels, payloadLength: entry.pixels.byteLength }, entry.pixels);
  }
  const bytes = entry.bytes;
  const content = detectContent(bytes);
  if (content === 'segment') return snapshotOfMemory(bytes, sharedMemId);
  if (content === 'jpeg' || content === 'png') {
    const size = entry.meta.width && entry.meta.height ? { width: entry.meta.width, height: entry.meta.height } : await encodedSize(bytes, sharedMemId);
    const colorSpace: ColorSpace = entry.meta.colorSpace ?? meta?.color_space ?? 'RGB';
    return stable({ encoding: content, colorSpace, channels: 0, payloadLength: bytes.byteLength, ...size }, bytes);
  }
  const where = entry.path === undefined ? 'the dev-shm bytes' : entry.path;
  if (!meta) throw new ImageLoadError('decode-failed', sharedMemId, `${where}: not JPEG, PNG or a ProcVision segment, and no image_meta gives a raw size`);
  const pixels = meta.width * meta.height;
  const channels = bytes.byteLength === pixels * 3 ? 3 : bytes.byteLength === pixels ? 1 : 0;
  if (channels === 0) {
    throw new ImageLoadError(
      'bad-header',
      sharedMemId,
      `${where}: raw bytes are ${bytes.byteLength} long; image_meta ${meta.width}x${meta.height} expects ${pixels * 3} (3 channels) or ${pixels} (GRAY)`,
    );
  }
  const colorSpace: ColorSpace = channels === 1 ? 'GRAY' : meta.color_space === 'BGR' ? 'BGR' : 'RGB';
  return stable({ encoding: 'raw', colorSpace, width: meta.width, height: meta.height, channels, payloadLength: bytes.byteLength }, bytes);
}
