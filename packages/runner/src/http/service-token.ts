import { readFileSync, type Stats, unwatchFile, watchFile } from 'node:fs';
import { ErrorCodes, ProcVisionError } from '@procvision/manifest';

/** Shortest bearer token the service accepts. */
export const minimumTokenLength = 16;

/** Tokens copied from examples and templates: refused, since every reader of the docs knows them. */
const placeholderTokens: ReadonlySet<string> = new Set(
  ['REPLACE-WITH-A-LONG-RANDOM-TOKEN', 'changeme', 'change-me', 'password', 'secret', 'token', 'your-token-here', '<token>'].map((token) =>
    token.toLowerCase(),
  ),
);

/**
 * Checks one bearer token: at least {@link minimumTokenLength} characters, no whitespace, not a
 * known placeholder, not one character repeated.
 * @throws ProcVisionError 3002 naming where the token came from (`where`) and what is wrong
 */
export function checkServiceToken(token: string, where: string): void {
  const fix = `put a random token of at least ${minimumTokenLength} characters there (e.g. the output of: openssl rand -hex 32)`;
  if (token.length < minimumTokenLength || /\s/.test(token))
    throw new ProcVisionError(
      ErrorCodes.exposureRefused,
      `${where}: the token has ${token.length} character(s)${/\s/.test(token) ? ' and whitespace' : ''}; ${fix}`,
    );
  if (placeholderTokens.has(token.toLowerCase()) || /^(.)\1*$/.test(token))
    throw new ProcVisionError(
      ErrorCodes.exposureRefused,
      `${where}: the token is a placeholder ("${token.slice(0, 40)}"), known to anyone who read the example; ${fix}`,
    );
}

/** The bearer tokens a service accepts right now: several during a rotation. */
export interface TokenSet {
  /** The tokens accepted now. */
  current(): readonly string[];
}

/** A {@link TokenSet} read from a file and re-read when the file changes. */
export interface TokenFile extends TokenSet {
  /** Stops watching the file. */
  close(): void;
}

/** Options of {@link watchTokenFile}. */
export interface TokenFileOptions {
  /** How often the file's status is polled (default 1000 ms); polling follows symlinks, as Kubernetes Secret volumes swap them. */
  pollMs?: number;
  /** Called when a changed file is refused (the previous tokens stay in force). */
  onRefused?: (error: Error) => void;
  /** Called when a changed file took effect, with the number of tokens. */
  onReloaded?: (count: number) => void;
}

/**
 * Reads the tokens of `path`: one per line, blank lines and `#` comments ignored, each checked
 * by {@link checkServiceToken}.
 * @throws ProcVisionError 3002 for an unreadable file, no token, or a bad token (naming its line)
 */
export function readTokenFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ProcVisionError(ErrorCodes.exposureRefused, `token file ${path} cannot be read (${(error as Error).message})`);
  }
  if (text.length > 64 * 1024)
    throw new ProcVisionError(ErrorCodes.exposureRefused, `token file ${path} is ${text.length} bytes; it holds tokens, one per line`);
  const tokens: string[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const token = line.trim();
    if (token === '' || token.startsWith('#')) continue;
    checkServiceToken(token, `token file ${path} line ${index + 1}`);
    tokens.push(token);
  }
  if (tokens.length === 0) throw new ProcVisionError(ErrorCodes.exposureRefused, `token file ${path} holds no token; write one token per line`);
  return tokens;
}

/**
 * The tokens of a file, re-read whenever it changes, so a rotated Kubernetes Secret or an
 * edited file takes effect without a restart. During a rotation the file lists the new and the
 * old token (one per line) and both are accepted; a change that leaves the file invalid is
 * refused (`onRefused`) and the previous tokens stay in force.
 * @throws ProcVisionError 3002 when the file is invalid at the start
 */
export function watchTokenFile(path: string, options: TokenFileOptions = {}): TokenFile {
  let tokens = readTokenFile(path);
  const reload = (): void => {
    try {
      tokens = readTokenFile(path);
      options.onReloaded?.(tokens.length);
    } catch (error) {
      options.onRefused?.(error as Error);
    }
  };
  const listener = (now: Stats, before: Stats): void => {
    if (now.mtimeMs !== before.mtimeMs || now.size !== before.size || now.ino !== before.ino) reload();
  };
  watchFile(path, { interval: options.pollMs ?? 1000, persistent: false }, listener);
  return { current: () => tokens, close: () => unwatchFile(path, listener) };
}
