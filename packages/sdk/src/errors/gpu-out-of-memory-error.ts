import { ProcVisionError, type ProcVisionErrorOptions, ErrorCodes } from '@procvision/manifest/errors';

/** The GPU ran out of memory (code 1004, `gpu_oom`). */
export class GPUOutOfMemoryError extends ProcVisionError {
  /** Cross-copy brand: `GPUOutOfMemoryError.isInstance` accepts only GPUOutOfMemoryErrors (see `ProcVisionError.isInstance`). */
  static override readonly brand = 'GPUOutOfMemoryError';
  constructor(message = 'out of GPU memory', options: ProcVisionErrorOptions = {}) {
    super(ErrorCodes.gpuOom, message, options);
    this.name = 'GPUOutOfMemoryError';
  }
}
