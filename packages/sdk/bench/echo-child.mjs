// The floor: a bare child that decodes each frame from stdin and writes a frame back at once.
import { FrameDecoder, encodeFrame } from '@procvision/manifest';

const decoder = new FrameDecoder();
process.stdin.on('data', (chunk) => {
  for (const message of decoder.push(chunk)) {
    process.stdout.write(
      encodeFrame({
        type: 'result',
        request_id: message.request_id,
        timestamp_ms: Date.now(),
        status: 'OK',
        message: '',
        data: { result_status: 'OK', phase: 'execute', step_index: 1 },
        session_state: {},
        latency_ms: 0.01,
      }),
    );
  }
});
