import { describe, expect, it } from 'vitest';
import { crc32c } from '../src/internal/crc32c.js';

/** Bit-at-a-time CRC-32C, the definition the slicing-by-4 tables must agree with. */
function bitwiseCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const range = (length: number, at: (index: number) => number): Uint8Array => Uint8Array.from({ length }, (_, index) => at(index));

// RFC 3720 appendix B.4 (iSCSI) gives the 32-byte vectors and the SCSI read command PDU.
const iscsiReadPdu = Uint8Array.from([
  0x01, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x14, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0, 0x14, 0, 0, 0, 0x18, 0x28, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0,
  0, 0, 0,
]);

describe('crc32c', () => {
  it.each<[string, Uint8Array, number]>([
    ['the check value of "123456789"', ascii('123456789'), 0xe3069283],
    ['no bytes', new Uint8Array(0), 0x00000000],
    ['"a"', ascii('a'), 0xc1d04330],
    ['the quick brown fox', ascii('The quick brown fox jumps over the lazy dog'), 0x22620404],
    ['32 zero bytes (RFC 3720)', new Uint8Array(32), 0x8a9136aa],
    ['32 0xFF bytes (RFC 3720)', new Uint8Array(32).fill(0xff), 0x62a8ab43],
    ['32 incrementing bytes (RFC 3720)', range(32, (index) => index), 0x46dd794e],
    ['32 decrementing bytes (RFC 3720)', range(32, (index) => 31 - index), 0x113fdb5c],
    ['an iSCSI read command PDU (RFC 3720)', iscsiReadPdu, 0xd9963a56],
  ])('%s', (_name, bytes, expected) => {
    expect(crc32c(bytes)).toBe(expected);
  });

  it('agrees with the bit-at-a-time definition for every tail length and on views that start mid-buffer', () => {
    const backing = range(4096 + 7, (index) => (index * 2654435761) >>> 24);
    for (let length = 0; length <= 37; length += 1) {
      for (let offset = 0; offset < 4; offset += 1) {
        const view = backing.subarray(offset, offset + length);
        expect(crc32c(view), `length ${length}, offset ${offset}`).toBe(bitwiseCrc32c(view));
      }
    }
    expect(crc32c(backing.subarray(3))).toBe(bitwiseCrc32c(backing.subarray(3)));
  });

  it('returns an unsigned 32-bit value and changes with any one flipped bit', () => {
    const payload = range(1000, (index) => index & 0xff);
    const original = crc32c(payload);
    expect(original).toBeGreaterThanOrEqual(0);
    expect(original).toBeLessThanOrEqual(0xffffffff);
    for (const position of [0, 1, 499, 998, 999]) {
      const flipped = payload.slice();
      flipped[position] = (flipped[position] as number) ^ 0x10;
      expect(crc32c(flipped)).not.toBe(original);
    }
  });
});
