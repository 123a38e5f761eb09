/** BGR -> RGB into a new array: one tight loop (sharp has no BGR input mode). */
export function bgrToRgb(source: Uint8Array): Uint8Array {
  const target = new Uint8Array(source.byteLength);
  for (let index = 0; index + 2 < source.byteLength; index += 3) {
    target[index] = source[index + 2] as number;
    target[index + 1] = source[index + 1] as number;
    target[index + 2] = source[index] as number;
  }
  return target;
}

/** Expands `channels`-channel pixels (1 gray, 2 gray+alpha, 4 RGBA) to 3-channel RGB. */
export function toThreeChannels(source: Uint8Array, channels: 1 | 2 | 4): Uint8Array {
  const pixels = Math.floor(source.byteLength / channels);
  const target = new Uint8Array(pixels * 3);
  if (channels === 4) {
    for (let pixel = 0, from = 0, to = 0; pixel < pixels; pixel += 1, from += 4, to += 3) {
      target[to] = source[from] as number;
      target[to + 1] = source[from + 1] as number;
      target[to + 2] = source[from + 2] as number;
    }
    return target;
  }
  for (let pixel = 0, from = 0, to = 0; pixel < pixels; pixel += 1, from += channels, to += 3) {
    const gray = source[from] as number;
    target[to] = gray;
    target[to + 1] = gray;
    target[to + 2] = gray;
  }
  return target;
}
