/**
 * The frame codec and error class for the adapter's main thread, from @procvision/manifest's
 * zod-free subpaths: the main thread starts without loading the schemas (~60 ms of zod);
 * the worker loads @procvision/manifest itself.
 */
export { FrameDecoder, FrameError, encodeFrame } from '@procvision/manifest/framing';
export { ProcVisionError } from '@procvision/manifest/errors';
