import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { encodeFrame, FrameDecoder, FrameError } from '@procvision/manifest';

/** Options for {@link FrameChannel}. */
interface FrameChannelOptions {
  /** Largest frame accepted from the child (`max_frame_bytes`); larger headers fail before buffering. */
  maxFrameBytes: number;
  /** Receives each decoded message, in order. */
  onMessage: (message: Record<string, unknown>) => void;
  /** The child broke the framing: the channel stops reading. */
  onProtocolError: (error: FrameError) => void;
  /** Writing to the child failed (EPIPE after it died) or its stdin backlog grew past the limit. */
  onWriteFailure: (message: string) => void;
}

/**
 * Frames over a child's stdio: runner -> adapter on stdin, adapter -> runner on stdout.
 * Split and coalesced reads are handled by the decoder; after a protocol error nothing more is
 * read. Writes to a dead child (EPIPE) are reported, never thrown; a child that stops reading
 * (stdin backlog above four frames) is reported as well, so the runner never buffers forever.
 */
export class FrameChannel {
  private readonly decoder: FrameDecoder;
  private broken = false;
  private readonly backlogLimit: number;

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly options: FrameChannelOptions,
  ) {
    this.decoder = new FrameDecoder({ maxFrameBytes: options.maxFrameBytes });
    this.backlogLimit = 4 * options.maxFrameBytes;
    child.stdout.on('data', (chunk: Buffer) => this.read(chunk));
    child.stdin.on('error', (error: NodeJS.ErrnoException) => options.onWriteFailure(`cannot write to the adapter's stdin: ${error.code ?? error.message}`));
    child.stdout.on('error', () => {});
  }

  /** Sends one message; false when the child's stdin is closed or backed up. */
  send(message: object): boolean {
    const stdin = this.child.stdin;
    if (stdin.destroyed || stdin.writableEnded) return false;
    if (stdin.writableLength > this.backlogLimit) {
      this.options.onWriteFailure(`the adapter stopped reading its stdin (${stdin.writableLength} bytes queued)`);
      return false;
    }
    stdin.write(encodeFrame({ ...message, timestamp_ms: Date.now() }, this.options.maxFrameBytes));
    return true;
  }

  /** Closes the child's stdin (EOF also means shutdown to an adapter). */
  end(): void {
    if (!this.child.stdin.destroyed) this.child.stdin.end();
  }

  private read(chunk: Buffer): void {
    if (this.broken) return;
    let messages: Record<string, unknown>[];
    try {
      messages = this.decoder.push(chunk);
    } catch (error) {
      this.broken = true;
      const frameError =
        error instanceof FrameError
          ? error
          : new FrameError('invalid-json', `protocol error: ${(error as Error).message}`, chunk.subarray(0, 32).toString('hex'));
      for (const message of frameError.decodedBefore) this.options.onMessage(message);
      this.options.onProtocolError(frameError);
      return;
    }
    for (const message of messages) this.options.onMessage(message);
  }
}
