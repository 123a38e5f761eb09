import { defineConfig } from 'vitest/config';
import { baseTestConfig } from '../../vitest.config.base.js';

export default defineConfig({ test: baseTestConfig });
