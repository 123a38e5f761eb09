/**
 * @packageDocumentation
 * Shared memory for ProcVision camera frames: in-process dev store, SharedArrayBuffer pools,
 * cross-process mmap segments, the image reader (sharp) and the runner's frame writer.
 */
export { ImageLoadError } from './image-load-error.js';
export type { ImageLoadReason, ImageLoadErrorOptions } from './image-load-error.js';
export { parseSharedMemId, isSegmentName } from './shared-mem-id.js';
export type { SharedMemIdParts, ShmBackend } from './shared-mem-id.js';
export { readImage } from './read-image.js';
export type { RgbImage } from './read-image.js';
export { readFrame } from './read-frame.js';
export type { FrameView } from './read-frame.js';
export { checkImageMeta } from './image-meta.js';
export type { FrameImageMeta } from './image-meta.js';
export { createFrameWriter } from './frame-writer.js';
export type { FrameWriter, FrameWriterOptions, WrittenFrame } from './frame-writer.js';
export type { Frame, EncodedFrame, RawFrame } from './internal/check-frame.js';
export type { ColorSpace, FrameEncoding } from './internal/layout.js';
export { HEADER_SIZE, LAYOUT_VERSION } from './internal/layout.js';
export { cleanupOrphanSegments } from './orphan-cleanup.js';
export { registerSabPool, unregisterSabPool, sabPoolHandle } from './sab-pool.js';
export type { SabPoolHandle } from './sab-pool.js';
export { writeDevImageBytes, writeDevPixels, clearDevImage, devShmFilePath, devShmFileName } from './dev-store.js';
export { cleanupOrphanFrameFolders, createFileFrameWriter, createPrivateShmDir, removePrivateShmDir, restorePrivateShmDir } from './file-frame-writer.js';
export type { FileFrameWriter, FileFrameWriterOptions } from './file-frame-writer.js';
export type { DevPixelLayout, DevImageBytesMeta } from './dev-store.js';
export { mmapBackendKind, mmapBackendReason } from './mmap-backend.js';
export type { MmapBackendKind } from './internal/native-addon.js';
export { closeReaderMappings } from './internal/mapping-cache.js';
