/**
 * `path` as one POSIX shell word, so a suggested command works when pasted: plain words stay
 * as they are, anything else (spaces, quotes, non-ASCII) is single-quoted.
 */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
