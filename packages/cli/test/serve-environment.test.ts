import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyServeEnvironment } from '../src/internal/serve-environment.js';
import { runCli, temporaryFolder } from './cli-helpers.js';

describe('runner serve configuration from the environment', () => {
  it('reads host, port, token file, log level and allowed paths; flags win; defaults otherwise', () => {
    const env = {
      PROCVISION_HOST: '0.0.0.0',
      PROCVISION_PORT: '8080',
      PROCVISION_TOKEN_FILE: '/run/token',
      PROCVISION_LOG_LEVEL: 'WARN',
      PROCVISION_ALLOW_PATHS: '/images:/zips',
    };
    expect(applyServeEnvironment({}, env, 'x')).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      tokenFile: '/run/token',
      logLevel: 'warn',
      allowPath: ['/images', '/zips'],
    });
    expect(applyServeEnvironment({ host: '127.0.0.1', port: 0, tokenFile: 'flag-token', logLevel: 'debug', allowPath: ['/flag'] }, env, 'x')).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      tokenFile: 'flag-token',
      logLevel: 'debug',
      allowPath: ['/flag'],
    });
    expect(applyServeEnvironment({}, { PROCVISION_HOST: '  ', PROCVISION_PORT: '' }, 'x')).toMatchObject({ host: '127.0.0.1', port: 7070, logLevel: 'info' });
    expect(applyServeEnvironment({}, {}, 'x')).not.toHaveProperty('tokenFile');
  });

  it('a bad value is exit 2 naming the variable, before anything starts', async () => {
    const folder = await temporaryFolder('serve-env');
    try {
      const port = await runCli(['runner', 'serve', '--store', join(folder.path, 'store')], { env: { PROCVISION_PORT: '70x' } });
      expect(port.code).toBe(2);
      expect(port.stderr).toContain("PROCVISION_PORT must be a port 0..65535, got '70x'");
      const level = await runCli(['runner', 'serve', '--store', join(folder.path, 'store')], { env: { PROCVISION_LOG_LEVEL: 'loud' } });
      expect(level.code).toBe(2);
      expect(level.stderr).toContain('PROCVISION_LOG_LEVEL must be debug, info, warn or error');
    } finally {
      await folder.remove();
    }
  });
});
