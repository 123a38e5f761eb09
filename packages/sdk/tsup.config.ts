import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

export default defineConfig({
  ...baseConfig,
  entry: ['src/index.ts', 'src/adapter-bin.ts', 'src/adapter-worker.ts'],
  // One copy of Session and the logger shared by the library, the bin and the worker.
  splitting: true,
});
