import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

export default defineConfig({
  ...baseConfig,
  splitting: true,
  entry: { index: 'src/index.ts', 'process/index': 'src/process/index.ts', 'targets/index': 'src/targets/index.ts' },
});
