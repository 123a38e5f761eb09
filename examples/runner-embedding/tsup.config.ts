import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

export default defineConfig({
  ...baseConfig,
  entry: ['src/main.ts', 'src/store-embedding.ts', 'src/service-embedding.ts'],
  dts: false,
});
