/**
 * The NumPy `.npy` format (version 1.0/2.0/3.0) for the only arrays frames use: uint8, C order,
 * shape (H, W), (H, W, 1) or (H, W, 3). Written by the runner for Python adapters, read for
 * files a Python dev runner wrote (`np.save`).
 */
const magic = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

/** The pixels of a `.npy` file, or why the file is not a frame. */
type NpyDecoded = { ok: true; width: number; height: number; channels: 1 | 3; pixels: Uint8Array } | { ok: false; message: string };

/** The `.npy` header (magic, version 1.0, padded dict) for uint8 pixels of this shape. */
export function npyHeader(height: number, width: number, channels: 1 | 3): Uint8Array {
  const shape = channels === 1 ? `(${height}, ${width})` : `(${height}, ${width}, ${channels})`;
  const dict = `{'descr': '|u1', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = magic.length + 4 + dict.length + 1;
  const padding = (64 - (unpadded % 64)) % 64;
  const text = `${dict}${' '.repeat(padding)}\n`;
  const header = new Uint8Array(magic.length + 4 + text.length);
  header.set(magic, 0);
  header[6] = 1;
  header[7] = 0;
  new DataView(header.buffer).setUint16(8, text.length, true);
  header.set(new TextEncoder().encode(text), 10);
  return header;
}

/** Decodes a `.npy` file's bytes into HWC uint8 pixels (a view, no copy). */
export function decodeNpy(bytes: Uint8Array): NpyDecoded {
  if (bytes.byteLength < 10 || !magic.every((byte, index) => bytes[index] === byte))
    return { ok: false, message: 'not a NumPy .npy file (no \\x93NUMPY magic)' };
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : major === 2 || major === 3 ? 4 : 0;
  if (lengthBytes === 0) return { ok: false, message: `unsupported .npy version ${major}.${bytes[7]}` };
  if (bytes.byteLength < 8 + lengthBytes) return { ok: false, message: 'truncated .npy header' };
  const headerLength = lengthBytes === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lengthBytes + headerLength;
  if (headerLength > 65_536 || start > bytes.byteLength) return { ok: false, message: 'truncated .npy header' };
  const header = new TextDecoder().decode(bytes.subarray(8 + lengthBytes, start));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    return { ok: false, message: `unreadable .npy header ${JSON.stringify(header.trim().slice(0, 120))}` };
  if (descr !== '|u1' && descr !== '<u1' && descr !== '>u1' && descr !== 'u1') return { ok: false, message: `dtype ${descr}: expected uint8 (|u1)` };
  if (fortran === 'True') return { ok: false, message: 'Fortran-order array: expected C order (np.ascontiguousarray)' };
  const shape = shapeText
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(Number);
  if (shape.some((dimension) => !Number.isInteger(dimension) || dimension < 0)) return { ok: false, message: `invalid shape (${shapeText})` };
  const [height = 0, width = 0, depth = 1] = shape;
  if (shape.length < 2 || shape.length > 3 || (depth !== 1 && depth !== 3) || height === 0 || width === 0) {
    return { ok: false, message: `shape (${shapeText}): expected HxW, HxWx1 or HxWx3 with H, W > 0` };
  }
  const expected = height * width * depth;
  if (bytes.byteLength - start !== expected)
    return { ok: false, message: `shape (${shapeText}) needs ${expected} data bytes, the file has ${bytes.byteLength - start}` };
  return { ok: true, width, height, channels: depth, pixels: bytes.subarray(start) };
}
