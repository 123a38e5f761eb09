import { describe, expect, it } from 'vitest';
import { FrameDecoder, FrameError, encodeFrame, encodeFrameInto } from '../src/index.js';

const frameOf = (body: Buffer | string): Buffer => {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const header = Buffer.alloc(4);
  header.writeUInt32BE(bytes.length, 0);
  return Buffer.concat([header, bytes]);
};

const failureOf = (decoder: FrameDecoder, chunk: Buffer): FrameError => {
  try {
    decoder.push(chunk);
  } catch (error) {
    if (error instanceof FrameError) return error;
    throw error;
  }
  throw new Error('expected a FrameError');
};

describe('encodeFrame', () => {
  it('writes a big-endian length then UTF-8 JSON', () => {
    const frame = encodeFrame({ type: 'ping', request_id: 'é' });
    const json = JSON.stringify({ type: 'ping', request_id: 'é' });
    expect(frame.readUInt32BE(0)).toBe(Buffer.byteLength(json));
    expect(frame.subarray(4).toString('utf8')).toBe(json);
  });

  it('refuses a frame above max_frame_bytes', () => {
    expect(() => encodeFrame({ blob: 'x'.repeat(100) }, 50)).toThrow(/exceeds max_frame_bytes \(50\)/);
  });
});

describe('encodeFrameInto', () => {
  const messages = [
    { type: 'ping', request_id: 'é' },
    { type: 'result', text: '€😀'.repeat(40) },
    { type: 'result', blob: 'x'.repeat(5000) },
  ];

  it('gives the bytes of encodeFrame, in the scratch buffer when the frame surely fits there', () => {
    const scratch = Buffer.alloc(1024);
    for (const message of messages) {
      const frame = encodeFrameInto(message, scratch);
      expect(Buffer.compare(frame, encodeFrame(message))).toBe(0);
      expect(frame.buffer === scratch.buffer, JSON.stringify(message).slice(0, 40)).toBe(JSON.stringify(message).length * 3 <= scratch.length - 4);
    }
  });

  it('refuses a frame above max_frame_bytes, in the scratch buffer or not', () => {
    expect(() => encodeFrameInto({ blob: 'x'.repeat(100) }, Buffer.alloc(1024), 50)).toThrow(/exceeds max_frame_bytes \(50\)/);
    expect(() => encodeFrameInto({ blob: 'x'.repeat(100) }, Buffer.alloc(16), 50)).toThrow(/exceeds max_frame_bytes \(50\)/);
  });
});

describe('FrameDecoder', () => {
  it('decodes several frames in one chunk', () => {
    const decoder = new FrameDecoder();
    const chunk = Buffer.concat([encodeFrame({ type: 'a' }), encodeFrame({ type: 'b' }), encodeFrame({ type: 'c' })]);
    expect(decoder.push(chunk)).toEqual([{ type: 'a' }, { type: 'b' }, { type: 'c' }]);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('decodes frames split at every byte boundary', () => {
    const stream = Buffer.concat([encodeFrame({ type: 'hello', text: 'ü'.repeat(40) }), encodeFrame({ type: 'pong' })]);
    for (let cut = 1; cut < stream.length; cut += 1) {
      const decoder = new FrameDecoder();
      const messages = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(messages.map((message) => message.type)).toEqual(['hello', 'pong']);
    }
  });

  it('decodes a stream fed one byte at a time', () => {
    const stream = Buffer.concat([encodeFrame({ type: 'x', n: 1 }), encodeFrame({ type: 'y', n: 2 })]);
    const decoder = new FrameDecoder();
    const messages = [...stream].flatMap((byte) => decoder.push(Uint8Array.of(byte)));
    expect(messages).toEqual([
      { type: 'x', n: 1 },
      { type: 'y', n: 2 },
    ]);
  });

  it('rejects an empty frame', () => {
    expect(failureOf(new FrameDecoder(), Buffer.alloc(4)).reason).toBe('empty-frame');
  });

  it('rejects a 2 GiB header before buffering any body', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 1024 });
    const header = Buffer.alloc(4);
    header.writeUInt32BE(2 ** 31, 0);
    const error = failureOf(decoder, header);
    expect(error.reason).toBe('frame-too-large');
    expect(error.message).toMatch(/2147483648 bytes, above max_frame_bytes 1024/);
    expect(error.code).toBe('1005');
    expect(decoder.bufferedBytes).toBeLessThanOrEqual(4);
  });

  it('rejects invalid UTF-8, invalid JSON and non-objects with the hex prefix', () => {
    expect(failureOf(new FrameDecoder(), frameOf(Buffer.from([0xff, 0xfe, 0x7b]))).reason).toBe('invalid-utf8');
    const invalid = failureOf(new FrameDecoder(), frameOf('{"type":'));
    expect(invalid.reason).toBe('invalid-json');
    expect(invalid.hexPrefix.startsWith('000000087b227479')).toBe(true);
    expect(failureOf(new FrameDecoder(), frameOf('[1,2]')).message).toMatch(/JSON array, expected an object/);
    expect(failureOf(new FrameDecoder(), frameOf('null')).reason).toBe('not-an-object');
    expect(failureOf(new FrameDecoder(), frameOf('42')).reason).toBe('not-an-object');
  });

  it('keeps the messages decoded before a fault and stays failed', () => {
    const decoder = new FrameDecoder();
    const error = failureOf(decoder, Buffer.concat([encodeFrame({ type: 'ok' }), frameOf('garbage')]));
    expect(error.decodedBefore).toEqual([{ type: 'ok' }]);
    expect(() => decoder.push(encodeFrame({ type: 'again' }))).toThrow(FrameError);
  });

  it('decodes a frame near max_frame_bytes split into many chunks', () => {
    const big = { type: 'result', data: 'z'.repeat(1_000_000) };
    const stream = encodeFrame(big);
    const decoder = new FrameDecoder();
    const messages: Record<string, unknown>[] = [];
    for (let offset = 0; offset < stream.length; offset += 65_536) messages.push(...decoder.push(stream.subarray(offset, offset + 65_536)));
    expect(messages).toEqual([big]);
  });
});
