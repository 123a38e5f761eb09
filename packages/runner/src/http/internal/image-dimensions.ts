/** Encoding and size of an encoded image, read from its header. */
interface ImageDimensions {
  encoding: 'jpeg' | 'png';
  width: number;
  height: number;
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngDimensions(bytes: Buffer): ImageDimensions | undefined {
  // Signature, then the IHDR chunk: length (4), "IHDR" (4), width (4), height (4).
  if (bytes.byteLength < 24 || !bytes.subarray(0, 8).equals(pngSignature) || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { encoding: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** SOFn markers that carry the frame size (every SOF except DHT C4, JPG C8, DAC CC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegDimensions(bytes: Buffer): ImageDimensions | undefined {
  if (bytes.byteLength < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let offset = 2;
  while (offset + 4 <= bytes.byteLength) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a length
      continue;
    }
    const length = bytes.readUInt16BE(offset + 2);
    if (isStartOfFrame(marker)) {
      if (offset + 9 > bytes.byteLength) return undefined;
      return { encoding: 'jpeg', height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or scan before any frame header
    offset += 2 + length;
  }
  return undefined;
}

/**
 * Reads the encoding, width and height of a JPEG or PNG from its header (no decoding).
 * Undefined when the bytes are neither, or the header is cut short.
 */
export function readImageDimensions(bytes: Buffer): ImageDimensions | undefined {
  return pngDimensions(bytes) ?? jpegDimensions(bytes);
}
