import { MAGIC } from './layout.js';

/** What a byte string holds, judged by its first bytes. */
type DetectedContent = 'jpeg' | 'png' | 'segment' | 'unknown';

/** Recognises JPEG (FF D8 FF), PNG (89 'PNG') and ProcVision segments ('PVSHM'). */
export function detectContent(bytes: Uint8Array): DetectedContent {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.byteLength >= 5 && MAGIC.subarray(0, 5).every((byte, index) => bytes[index] === byte)) return 'segment';
  return 'unknown';
}
