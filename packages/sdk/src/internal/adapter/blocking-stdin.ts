import { readSync } from 'node:fs';

/** Bytes read from stdin at a time; a larger frame arrives in several reads. */
const readBytes = 64 * 1024;

/**
 * Reads stdin (fd 0) with blocking `read` calls, as the Python adapter does: the thread sleeps
 * in the kernel until the runner writes, and wakes once per frame. Never touches
 * `process.stdin` (which would make fd 0 non-blocking); one buffer is reused for every read.
 */
export class BlockingStdin {
  private readonly buffer = Buffer.allocUnsafe(readBytes);

  /**
   * The next bytes (valid until the next read), `undefined` at end of input or on a read
   * error, `'would-block'` when fd 0 is non-blocking (the caller then reads through the
   * event loop).
   */
  read(): Buffer | undefined | 'would-block' {
    for (;;) {
      try {
        const count = readSync(0, this.buffer, 0, readBytes, null);
        return count === 0 ? undefined : this.buffer.subarray(0, count);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EINTR') continue;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return 'would-block';
        return undefined;
      }
    }
  }
}

/** Handle kinds the adapter's own stdio (stderr) shows as. */
const stdioKinds = new Set(['PipeWrap', 'TTYWrap']);

/**
 * How many stdio handles the process holds now (stderr when it is a pipe or terminal; stdout
 * is never made into a stream). Take it before the algorithm loads: more later means the
 * algorithm opened one.
 */
export function ownStdioHandles(): number {
  let count = 0;
  for (const kind of process.getActiveResourcesInfo()) if (stdioKinds.has(kind)) count += 1;
  return count;
}

/**
 * True when nothing but the adapter's own stdio is pending in the event loop (no timer,
 * socket, child process, file request or immediate of the algorithm), so a blocking read
 * starves nothing. A pending file close (`CloseReq`) needs no JavaScript and is ignored.
 */
export function eventLoopIdle(ownHandles: number): boolean {
  let stdio = 0;
  for (const kind of process.getActiveResourcesInfo()) {
    if (stdioKinds.has(kind)) stdio += 1;
    else if (kind !== 'CloseReq') return false;
  }
  return stdio <= ownHandles;
}
