import { ErrorCodes, ProcVisionError } from '@procvision/manifest/errors';

/**
 * Why an image could not be loaded:
 * - `invalid-id`: the shared_mem_id is not `dev-shm:`, `sab:` or `mmap:` with a valid name;
 * - `unknown-id`: nothing is stored under that id (no segment, pool, dev entry or file);
 * - `invalid-meta`: image_meta is missing width/height or has non-positive values;
 * - `meta-mismatch`: image_meta disagrees with the segment header (both values in the message);
 * - `bad-header`: the segment header fails a check (magic, version, bounds, raw size);
 * - `being-written`: the sequence was odd (the writer is in the middle of a write);
 * - `torn-frame`: the sequence changed while the frame was read (overwritten under the reader);
 * - `checksum-mismatch`: the payload does not match the header's CRC-32C;
 * - `decode-failed`: sharp could not decode the JPEG/PNG payload.
 */
export type ImageLoadReason =
  'invalid-id' | 'unknown-id' | 'invalid-meta' | 'meta-mismatch' | 'bad-header' | 'being-written' | 'torn-frame' | 'checksum-mismatch' | 'decode-failed';

/** Options for {@link ImageLoadError}. */
export interface ImageLoadErrorOptions {
  /** The underlying error (a sharp or system error). */
  cause?: unknown;
  /** Extra machine-readable context. */
  details?: Record<string, unknown>;
}

/**
 * An image-load failure (error code 1002): the reader never returns a zero-filled image,
 * it throws this with a {@link ImageLoadError.reason} saying what went wrong.
 */
export class ImageLoadError extends ProcVisionError {
  /** Cross-copy brand: `ImageLoadError.isInstance` accepts only ImageLoadErrors (see `ProcVisionError.isInstance`). */
  static override readonly brand = 'ImageLoadError';
  /** Which check failed. */
  readonly reason: ImageLoadReason;
  /** The shared_mem_id that was being read. */
  readonly sharedMemId: string;

  constructor(reason: ImageLoadReason, sharedMemId: string, message: string, options: ImageLoadErrorOptions = {}) {
    super(ErrorCodes.imageLoadFailed, `image load failed for ${JSON.stringify(sharedMemId)} (${reason}): ${message}`, {
      cause: options.cause,
      details: { reason, sharedMemId, ...options.details },
    });
    this.name = 'ImageLoadError';
    this.reason = reason;
    this.sharedMemId = sharedMemId;
  }
}
