/**
 * @packageDocumentation
 * `@procvision/manifest/framing`: the length-prefixed frame codec of docs/spec/protocol.md, without zod.
 */
export { DEFAULT_MAX_FRAME_BYTES, FrameDecoder, FrameError, encodeFrame, encodeFrameInto } from './frame-codec.js';
export type { FrameDecoderOptions, FrameErrorReason } from './frame-codec.js';
