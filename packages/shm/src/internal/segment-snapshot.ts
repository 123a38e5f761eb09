import type { FrameHeader } from './layout.js';

/**
 * One verified read of a segment: its header, a view of its payload, a check that the
 * frame was not rewritten since, and a hold that keeps the memory mapped until released.
 */
export interface SegmentSnapshot {
  header: FrameHeader;
  payload: Uint8Array;
  /** True while the segment's sequence still equals `header.sequence`. */
  isIntact(): boolean;
  /** Keeps the mapping alive (not evicted from the reader cache) until `release()` runs. */
  release(): void;
}
