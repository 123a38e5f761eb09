import { UsageError } from '../usage-error.js';
import { readCallerPath } from './read-caller-path.js';

/** Largest token file read (a token is a line; anything bigger is the wrong file). */
const maxTokenFileBytes = 4096;

/**
 * The bearer token of `runner serve`: the contents of `--token-file` (one line, surrounding
 * whitespace trimmed), else `$PROCVISION_TOKEN`, else none. An empty token is a usage error.
 */
export async function serveToken(tokenFile: string | undefined, env: NodeJS.ProcessEnv, example: string): Promise<string | undefined> {
  if (tokenFile !== undefined) {
    const bytes = await readCallerPath(tokenFile, {
      field: '--token-file',
      maxBytes: maxTokenFileBytes,
      hint: 'pass a file holding the token on one line',
      example,
    });
    const token = bytes.toString('utf8').trim();
    if (token === '' || /\s/.test(token))
      throw new UsageError(`--token-file ${tokenFile} must hold one token on one line (no spaces), not ${token === '' ? 'nothing' : 'several words'}`, {
        example,
      });
    return token;
  }
  const fromEnv = env.PROCVISION_TOKEN?.trim();
  if (fromEnv === undefined) return undefined;
  if (fromEnv === '' || /\s/.test(fromEnv))
    throw new UsageError('PROCVISION_TOKEN is set but empty or holds spaces; set it to one token, or unset it', { example });
  return fromEnv;
}
