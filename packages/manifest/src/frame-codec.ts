import { isUtf8 } from 'node:buffer';
import { ProcVisionError } from './procvision-error.js';
import { ErrorCodes } from './error-codes.js';

/** The default `max_frame_bytes` of docs/spec/protocol.md: 4 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

const HEADER_BYTES = 4;
const HEX_PREFIX_BYTES = 32;

/** Why a byte stream broke the framing rules of docs/spec/protocol.md. */
export type FrameErrorReason = 'empty-frame' | 'frame-too-large' | 'invalid-utf8' | 'invalid-json' | 'not-an-object';

/**
 * A protocol error in a frame stream (code 1005: the peer process is at fault).
 * Carries the hex prefix of the offending bytes for the log, and the messages that were
 * decoded from the same chunk before the fault, so none is lost.
 */
export class FrameError extends ProcVisionError {
  /** Cross-copy brand: `FrameError.isInstance` accepts only FrameErrors (see `ProcVisionError.isInstance`). */
  static override readonly brand = 'FrameError';
  /** What was wrong with the frame. */
  readonly reason: FrameErrorReason;
  /** Up to 32 bytes of the offending frame (header included), as hex. */
  readonly hexPrefix: string;
  /** Messages completed in the same `push` before the faulty frame. */
  readonly decodedBefore: readonly Record<string, unknown>[];

  constructor(reason: FrameErrorReason, message: string, hexPrefix: string, decodedBefore: readonly Record<string, unknown>[] = []) {
    super(ErrorCodes.timeout, message, { details: { reason, hexPrefix } });
    this.name = 'FrameError';
    this.reason = reason;
    this.hexPrefix = hexPrefix;
    this.decodedBefore = decodedBefore;
  }
}

/**
 * Encodes one protocol message as a frame: a 4-byte unsigned big-endian length, then the
 * UTF-8 JSON bytes. One allocation per frame.
 *
 * @throws RangeError when the JSON is larger than `maxFrameBytes`.
 */
export function encodeFrame(message: object, maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES): Buffer {
  return frameOfJson(JSON.stringify(message), maxFrameBytes);
}

/**
 * {@link encodeFrame} without an allocation for a frame that surely fits in `scratch`: it is
 * written there and a view of it returned, valid until `scratch` is written again (write it out
 * at once). A frame whose JSON may not fit gets its own buffer, as with `encodeFrame`.
 *
 * @throws RangeError when the JSON is larger than `maxFrameBytes`.
 */
export function encodeFrameInto(message: object, scratch: Buffer, maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES): Buffer {
  const json = JSON.stringify(message);
  // A UTF-16 unit takes at most 3 UTF-8 bytes: no separate length pass is needed to know it fits.
  if (json.length * 3 > scratch.length - HEADER_BYTES) return frameOfJson(json, maxFrameBytes);
  const length = scratch.write(json, HEADER_BYTES, 'utf8');
  checkFrameLength(length, maxFrameBytes);
  scratch.writeUInt32BE(length, 0);
  return scratch.subarray(0, HEADER_BYTES + length);
}

function frameOfJson(json: string, maxFrameBytes: number): Buffer {
  const length = Buffer.byteLength(json, 'utf8');
  checkFrameLength(length, maxFrameBytes);
  const frame = Buffer.allocUnsafe(HEADER_BYTES + length);
  frame.writeUInt32BE(length, 0);
  frame.write(json, HEADER_BYTES, 'utf8');
  return frame;
}

function checkFrameLength(length: number, maxFrameBytes: number): void {
  if (length > maxFrameBytes) {
    throw new RangeError(`frame of ${length} bytes exceeds max_frame_bytes (${maxFrameBytes}); keep images out of JSON (use shared memory)`);
  }
}

/** Options for {@link FrameDecoder}. */
export interface FrameDecoderOptions {
  /** Largest frame body accepted, in bytes; larger headers are rejected before any body is buffered. */
  maxFrameBytes?: number;
}

/**
 * Incremental decoder for a stream of frames. Handles frames split across chunks and several
 * frames in one chunk; a whole frame inside one chunk is parsed without copying.
 *
 * After a {@link FrameError} the stream is unusable (the framing is lost) and every further
 * `push` throws the same error.
 */
export class FrameDecoder {
  private readonly maxFrameBytes: number;
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private headerFilled = 0;
  private body: Buffer | undefined;
  private bodyFilled = 0;
  private failure: FrameError | undefined;
  /** Where the frame being decoded starts, for the hex prefix of an error. */
  private errorSource: Buffer = this.header;
  private errorOffset = 0;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** Bytes held for an incomplete frame (header or body). */
  get bufferedBytes(): number {
    return this.headerFilled + this.bodyFilled;
  }

  /**
   * Feeds bytes read from the stream and returns every message they complete, in order.
   *
   * @throws FrameError on an empty frame, a frame above `maxFrameBytes`, invalid UTF-8,
   * invalid JSON or a JSON value that is not an object.
   */
  push(chunk: Uint8Array): Record<string, unknown>[] {
    if (this.failure) throw this.failure;
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const messages: Record<string, unknown>[] = [];
    let offset = 0;
    try {
      while (offset < bytes.length) {
        if (this.body === undefined) {
          if (this.headerFilled === 0 && bytes.length - offset >= HEADER_BYTES) {
            this.errorSource = bytes;
            this.errorOffset = offset;
            const length = this.checkLength(bytes.readUInt32BE(offset));
            const start = offset + HEADER_BYTES;
            if (bytes.length - start >= length) {
              messages.push(this.parse(bytes.subarray(start, start + length)));
              offset = start + length;
              continue;
            }
            this.header.set(bytes.subarray(offset, start));
            this.startBody(length);
            offset = start;
            continue;
          }
          const take = Math.min(HEADER_BYTES - this.headerFilled, bytes.length - offset);
          bytes.copy(this.header, this.headerFilled, offset, offset + take);
          this.headerFilled += take;
          offset += take;
          if (this.headerFilled < HEADER_BYTES) break;
          this.errorSource = this.header;
          this.errorOffset = 0;
          this.startBody(this.checkLength(this.header.readUInt32BE(0)));
          continue;
        }
        const body: Buffer = this.body;
        const take = Math.min(body.length - this.bodyFilled, bytes.length - offset);
        bytes.copy(body, this.bodyFilled, offset, offset + take);
        this.bodyFilled += take;
        offset += take;
        if (this.bodyFilled === body.length) {
          this.body = undefined;
          this.bodyFilled = 0;
          this.headerFilled = 0;
          this.errorSource = Buffer.concat([this.header, body.subarray(0, HEX_PREFIX_BYTES)]);
          this.errorOffset = 0;
          messages.push(this.parse(body));
        }
      }
    } catch (error) {
      if (error instanceof FrameError) {
        const prefix = this.errorSource.subarray(this.errorOffset, this.errorOffset + HEX_PREFIX_BYTES).toString('hex');
        this.failure = new FrameError(error.reason, error.message, prefix, messages);
        throw this.failure;
      }
      throw error;
    }
    return messages;
  }

  private startBody(length: number): void {
    this.body = Buffer.allocUnsafe(length);
    this.bodyFilled = 0;
    this.headerFilled = HEADER_BYTES;
  }

  private checkLength(length: number): number {
    if (length === 0) throw new FrameError('empty-frame', 'protocol error: frame of length 0', '');
    if (length > this.maxFrameBytes) {
      throw new FrameError('frame-too-large', `protocol error: frame header announces ${length} bytes, above max_frame_bytes ${this.maxFrameBytes}`, '');
    }
    return length;
  }

  private parse(body: Buffer): Record<string, unknown> {
    if (!isUtf8(body)) throw new FrameError('invalid-utf8', 'protocol error: frame is not valid UTF-8', '');
    const text = body.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new FrameError('invalid-json', `protocol error: frame is not valid JSON (${(error as Error).message})`, '');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new FrameError(
        'not-an-object',
        `protocol error: frame holds JSON ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}, expected an object`,
        '',
      );
    }
    return value as Record<string, unknown>;
  }
}
