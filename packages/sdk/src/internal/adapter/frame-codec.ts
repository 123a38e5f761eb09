/**
 * The frame codec and error class of @procvision/manifest, bundled from its source into the
 * adapter's main-thread code. Importing them from the package would load its whole index and
 * zod with it (~60 ms); these files import neither, so the main thread starts without zod
 * (the worker loads @procvision/manifest itself). Same source, same behaviour.
 */
export { FrameDecoder, FrameError, encodeFrame } from '../../../../manifest/src/frame-codec.js';
export { ProcVisionError } from '../../../../manifest/src/procvision-error.js';
