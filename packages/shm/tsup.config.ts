import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

export default defineConfig({
  ...baseConfig,
  // `read` is the algorithm side (no writers, crypto or exit hooks); shared code sits in one
  // chunk, so there is one copy of each store and class whichever entry a caller imports.
  entry: ['src/index.ts', 'src/read.ts'],
  splitting: true,
});
