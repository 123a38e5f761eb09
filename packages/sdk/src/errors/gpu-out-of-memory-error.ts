import { ProcVisionError, type ProcVisionErrorOptions } from '@procvision/manifest/errors';

/** The GPU ran out of memory (code 1004, `gpu_oom`). */
export class GPUOutOfMemoryError extends ProcVisionError {
  /** Cross-copy brand: `GPUOutOfMemoryError.isInstance` accepts only GPUOutOfMemoryErrors (see `ProcVisionError.isInstance`). */
  static override readonly brand = 'GPUOutOfMemoryError';
  constructor(message = 'out of GPU memory', options: ProcVisionErrorOptions = {}) {
    super('1004', message, options);
    this.name = 'GPUOutOfMemoryError';
  }
}
