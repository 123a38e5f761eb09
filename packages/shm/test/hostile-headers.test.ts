import { describe, expect, it } from 'vitest';
import { ImageLoadError, readFrame, registerSabPool, unregisterSabPool } from '../src/index.js';
import { runFixture } from './helpers/child.js';
import { type CraftedHeader, craftSegment, placeSegment } from './helpers/segments.js';

const cases: Array<[string, CraftedHeader, number | undefined, string, string]> = [
  ['valid baseline', {}, undefined, 'ok', ''],
  ['bad magic', { magic: 'NOTPVSM' }, undefined, 'bad-header', 'magic'],
  ['unknown version', { version: 2 }, undefined, 'bad-header', 'layout version is 2'],
  ['bad header size', { headerSize: 128 }, undefined, 'bad-header', 'header size is 128'],
  ['length beyond capacity', { payloadLength: 48 }, undefined, 'bad-header', 'exceeds capacity'],
  [
    'length beyond segment size',
    { payloadLength: 1_000_000, capacity: 2_000_000, width: 1000, height: 1000, channels: 1, colorSpace: 2 },
    undefined,
    'bad-header',
    'exceeds the segment size',
  ],
  ['width*height*channels not matching', { width: 5 }, undefined, 'bad-header', '5x2x3 = 30 bytes'],
  ['two channels', { channels: 2, payloadLength: 16, width: 4 }, undefined, 'bad-header', '2 channels'],
  ['GRAY with 3 channels', { colorSpace: 2 }, undefined, 'bad-header', 'color space GRAY'],
  ['unknown encoding', { encoding: 9 }, undefined, 'bad-header', 'encoding 9'],
  ['unknown color space', { colorSpace: 7 }, undefined, 'bad-header', 'color space 7'],
  ['zero width', { width: 0 }, undefined, 'bad-header', 'empty'],
  ['odd sequence', { sequence: 7 }, undefined, 'being-written', 'odd'],
  ['shorter than a header', {}, 40, 'bad-header', 'smaller than the 64-byte header'],
];

async function outcome(promise: Promise<{ payload: Uint8Array }>): Promise<[string, string]> {
  try {
    const frame = await promise;
    return ['ok', String(frame.payload.byteLength)];
  } catch (error) {
    if (!(error instanceof ImageLoadError)) throw error;
    expect(error.code).toBe('1002');
    return [error.reason, error.message];
  }
}

describe('hostile headers give 1002 and never read out of bounds', () => {
  it.each(cases)('mmap (native): %s', async (label, fields, size, reason, text) => {
    const [id, cleanup] = placeSegment(label.replace(/\W+/g, ''), craftSegment(fields, size));
    try {
      const [gotReason, message] = await outcome(readFrame(id));
      expect(gotReason).toBe(reason);
      expect(message).toContain(text);
    } finally {
      cleanup();
    }
  });

  it.each(cases)('sab: %s', async (label, fields, size, reason) => {
    const bytes = craftSegment(fields, size);
    const segment = new SharedArrayBuffer(bytes.byteLength);
    new Uint8Array(segment).set(bytes);
    registerSabPool({ name: 'hostile', segments: [segment] });
    try {
      expect((await outcome(readFrame('sab:hostile/0')))[0]).toBe(reason);
    } finally {
      unregisterSabPool('hostile');
    }
  });

  it('file backend (child process): the same verdicts', async () => {
    const placed = cases.map(([label, fields, size]) => placeSegment(`f${label.replace(/\W+/g, '')}`, craftSegment(fields, size)));
    try {
      const ids = placed.map(([id]) => id);
      const verdicts = await runFixture<string[]>('read-frames.mjs', [JSON.stringify(ids)], { PROCVISION_SHM_BACKEND: 'file' });
      expect(verdicts).toEqual(cases.map(([, , , reason]) => reason));
    } finally {
      for (const [, cleanup] of placed) cleanup();
    }
  });
});
