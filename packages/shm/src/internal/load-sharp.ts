import type sharp from 'sharp';

let loading: Promise<typeof sharp> | undefined;

/**
 * Loads sharp on first use. Most calls never decode (raw frames, `readFrame`), and sharp's
 * import (libvips) costs ~30 ms of an algorithm process's cold start.
 */
export function loadSharp(): Promise<typeof sharp> {
  loading ??= import('sharp').then((module) => module.default);
  return loading;
}
