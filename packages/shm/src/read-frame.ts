import { type DevEntry, devShmFilePath, lookupDevEntry } from './dev-store.js';
import { checkImageMeta, checkMetaAgainstHeader, type FrameImageMeta } from './image-meta.js';
import { ImageLoadError } from './image-load-error.js';
import { crc32c } from './internal/crc32c.js';
import { devEntrySnapshot } from './internal/dev-entry-snapshot.js';
import type { FrameFields } from './internal/layout.js';
import { readNamedSegment } from './internal/read-segment.js';
import type { SegmentSnapshot } from './internal/segment-snapshot.js';
import { readSabSegment } from './sab-pool.js';
import { parseSharedMemId, type ShmBackend } from './shared-mem-id.js';

/**
 * A verified frame, not decoded: header fields plus a view of the payload (encoded JPEG/PNG
 * bytes or raw pixels). The view points into shared memory (no copy) and is valid for the
 * duration of the call that received the id; call {@link FrameView.release} when done.
 */
export interface FrameView extends Omit<FrameFields, 'crc32c'> {
  sharedMemId: string;
  backend: ShmBackend;
  payload: Uint8Array;
  /** True while the frame was not rewritten since it was read (the seqlock check). */
  isIntact(): boolean;
  /** Lets the reader cache unmap the segment again (idempotent). */
  release(): void;
}

async function devSnapshot(parts: { key: string }, sharedMemId: string, meta: FrameImageMeta | undefined): Promise<SegmentSnapshot> {
  const entry: DevEntry | undefined = lookupDevEntry(parts.key);
  if (!entry) {
    throw new ImageLoadError(
      'unknown-id',
      sharedMemId,
      `nothing stored under dev-shm key ${JSON.stringify(parts.key)} in this process, and no file ${devShmFilePath(parts.key)}`,
    );
  }
  return devEntrySnapshot(entry, sharedMemId, meta);
}

/**
 * Reads and verifies a frame without decoding it: header checks (magic, version, bounds, raw
 * size), the optional CRC-32C, and, when `imageMeta` is given, agreement of width, height and
 * color_space with the header. Every failure is an {@link ImageLoadError} (code 1002).
 */
export async function readFrame(sharedMemId: string, imageMeta?: FrameImageMeta): Promise<FrameView> {
  const meta = imageMeta === undefined ? undefined : checkImageMeta(imageMeta, sharedMemId);
  const parts = parseSharedMemId(sharedMemId);
  // mmap and sab snapshots are taken synchronously (no await between verify and use).
  const snapshot =
    parts.backend === 'mmap'
      ? readNamedSegment(parts.name, sharedMemId)
      : parts.backend === 'sab'
        ? readSabSegment(parts.pool, parts.slot, sharedMemId)
        : await devSnapshot(parts, sharedMemId, meta);
  try {
    const { header, payload } = snapshot;
    if (meta) checkMetaAgainstHeader(meta, header, sharedMemId);
    if (header.crc32c !== 0 && crc32c(payload) !== header.crc32c) {
      if (!snapshot.isIntact()) throw new ImageLoadError('torn-frame', sharedMemId, 'the frame was rewritten while its checksum was computed');
      throw new ImageLoadError('checksum-mismatch', sharedMemId, `payload CRC-32C does not match the header (${header.crc32c.toString(16)})`);
    }
    return {
      sharedMemId,
      backend: parts.backend,
      encoding: header.encoding,
      colorSpace: header.colorSpace,
      width: header.width,
      height: header.height,
      channels: header.channels,
      timestampMs: header.timestampMs,
      frameId: header.frameId,
      payload,
      isIntact: snapshot.isIntact,
      release: snapshot.release,
    };
  } catch (error) {
    snapshot.release();
    throw error;
  }
}
