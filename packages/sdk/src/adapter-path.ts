import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the `procvision-adapter` script (`dist/adapter-bin.js`). A runner starts
 * an algorithm with `node <adapterBinPath>` and the package root as working directory.
 */
export const adapterBinPath: string = fileURLToPath(new URL('../dist/adapter-bin.js', import.meta.url));
