import packageJson from '../../package.json' with { type: 'json' };

/** This package's version, sent in the runner's hello. */
export const runnerVersion: string = packageJson.version;
