import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

export default defineConfig({
  ...baseConfig,
  entry: ['src/index.ts', 'src/bin.ts'],
  // Code splitting keeps each command in its own chunk, so `import()` in program.ts really
  // loads a command's code (and its heavy dependencies) only when that command runs.
  splitting: true,
});
