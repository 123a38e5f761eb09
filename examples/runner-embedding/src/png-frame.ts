import { readFile } from 'node:fs/promises';
import type { StepRequest } from '@procvision/runner';

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Reads a PNG file as a camera frame for `Runner.runStep`. The frame carries the encoded
 * bytes (the algorithm decodes them from shared memory) and the size from the PNG header.
 * A camera SDK would hand you JPEG bytes or raw pixels instead (`encoding: 'jpeg' | 'raw'`).
 * @throws Error naming the file when it is not a PNG
 */
export async function readPngFrame(path: string, cameraId = 'cam-01'): Promise<StepRequest['frame']> {
  const bytes = await readFile(path);
  // The IHDR chunk follows the 8-byte signature: length (4), type (4), width (4), height (4).
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(pngSignature) || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error(`${path}: not a PNG file (expected the PNG signature and an IHDR chunk)`);
  }
  return { encoding: 'png', bytes, width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), cameraId };
}
