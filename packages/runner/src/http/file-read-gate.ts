import { ProcVisionError, ErrorCodes } from '@procvision/manifest';

/** Bounds the reads of caller-named files in flight; one more is refused (503, `Retry-After`). */
export class FileReadGate {
  private running = 0;

  constructor(private readonly max: number) {}

  /**
   * Runs `read` when a slot is free.
   * @throws ProcVisionError 3009 when `max` reads are in flight
   */
  async run<Result>(read: () => Promise<Result>): Promise<Result> {
    if (this.running >= this.max) {
      throw new ProcVisionError(ErrorCodes.serviceBusy, `${this.max} reads of files named by path are in flight; retry shortly or send the bytes`, {
        details: { retry_after_s: 1 },
      });
    }
    this.running += 1;
    try {
      return await read();
    } finally {
      this.running -= 1;
    }
  }
}
