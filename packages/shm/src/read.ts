/**
 * @packageDocumentation
 * The reader side of @procvision/shm, for algorithms (what `@procvision/sdk` re-exports):
 * `readFrame`, `readImage` and `ImageLoadError`, without the frame writers, the orphan sweep,
 * `node:crypto` or the exit hooks the root entry loads (~10 ms less at adapter start-up).
 * Shared code sits in one chunk, so these are the root entry's own functions and class.
 */
export { ImageLoadError } from './image-load-error.js';
export type { ImageLoadReason, ImageLoadErrorOptions } from './image-load-error.js';
export { readImage } from './read-image.js';
export type { RgbImage } from './read-image.js';
export { readFrame } from './read-frame.js';
export type { FrameView } from './read-frame.js';
