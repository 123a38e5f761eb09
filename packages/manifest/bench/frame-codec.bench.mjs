// Frame codec throughput: FrameDecoder (zero-copy for whole frames, one body buffer for split
// frames) against the naive decoder that Buffer.concat()s every chunk onto what it holds.
// Both decoders make the same checks (UTF-8, JSON, object); only the buffering differs.
// Prints one JSON line per figure on stdout.
import { isUtf8 } from 'node:buffer';
import { FrameDecoder, encodeFrame } from '../dist/index.js';

function naiveDecode(chunks) {
  let held = Buffer.alloc(0);
  const messages = [];
  for (const chunk of chunks) {
    held = Buffer.concat([held, chunk]);
    while (held.length >= 4) {
      const length = held.readUInt32BE(0);
      if (held.length < 4 + length) break;
      const body = held.subarray(4, 4 + length);
      if (length === 0 || !isUtf8(body)) throw new Error('bad frame');
      const message = JSON.parse(body.toString('utf8'));
      if (typeof message !== 'object' || message === null || Array.isArray(message)) throw new Error('not an object');
      messages.push(message);
      held = held.subarray(4 + length);
    }
  }
  return messages;
}

function fastDecode(chunks) {
  const decoder = new FrameDecoder({ maxFrameBytes: 8 * 1024 * 1024 });
  const messages = [];
  for (const chunk of chunks) messages.push(...decoder.push(chunk));
  return messages;
}

function chunked(stream, size) {
  const chunks = [];
  for (let offset = 0; offset < stream.length; offset += size) chunks.push(stream.subarray(offset, offset + size));
  return chunks;
}

function timeMs(run, rounds) {
  run();
  const samples = [];
  for (let round = 0; round < rounds; round += 1) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

function report(bench, value, unit, baselineName, baseline) {
  console.log(
    JSON.stringify({
      bench,
      value: Number(value.toFixed(3)),
      unit,
      baseline_name: baselineName,
      baseline: Number(baseline.toFixed(3)),
      ratio: Number((value / baseline).toFixed(3)),
    }),
  );
}

const call = {
  type: 'call',
  request_id: 'r-1',
  timestamp_ms: Date.now(),
  data: {
    phase: 'execute',
    step_index: 1,
    pid: 'A01',
    session: { id: 's', context: { product_code: 'A01' }, state: { n: 1 } },
    user_params: { threshold: 0.7 },
    shared_mem_id: 'mmap:pv-1234-0',
    image_meta: { width: 1920, height: 1200, timestamp_ms: 1, camera_id: 'cam-01', color_space: 'RGB' },
  },
};
const smallStream = Buffer.concat(Array.from({ length: 10_000 }, () => encodeFrame(call)));
const smallChunks = chunked(smallStream, 65_536);
const smallFast = timeMs(() => fastDecode(smallChunks), 15);
const smallNaive = timeMs(() => naiveDecode(smallChunks), 15);
report('protocol.decode_call_frames', (smallFast * 1000) / 10_000, 'us/frame', 'protocol.decode_call_frames.concat', (smallNaive * 1000) / 10_000);

const bigStream = encodeFrame({ type: 'result', request_id: 'r', data: { debug: 'x'.repeat(4_000_000) } }, 8 * 1024 * 1024);
const bigChunks = chunked(bigStream, 65_536);
report(
  'protocol.decode_4mb_frame',
  timeMs(() => fastDecode(bigChunks), 15),
  'ms',
  'protocol.decode_4mb_frame.concat',
  timeMs(() => naiveDecode(bigChunks), 5),
);
