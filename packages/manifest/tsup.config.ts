import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

export default defineConfig({
  ...baseConfig,
  // `errors`, `framing`, `limits` and `process-exit` load without zod; shared code sits in one
  // chunk, so there is one ProcVisionError class whichever entry a caller imports.
  entry: ['src/index.ts', 'src/errors.ts', 'src/framing.ts', 'src/limits.ts', 'src/process-exit.ts'],
  splitting: true,
});
