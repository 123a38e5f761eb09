import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

export default defineConfig({
  ...baseConfig,
  splitting: true,
  entry: { index: 'src/index.ts', 'store/index': 'src/store/index.ts', 'http/index': 'src/http/index.ts', 'client/index': 'src/client/index.ts' },
});
