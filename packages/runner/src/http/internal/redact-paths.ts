/**
 * A function that replaces private absolute paths (the store root, the upload folder) in text
 * sent to callers with placeholders (`<store>`, `<upload>`): error messages must not map the
 * station's file system for a caller. Paths the caller sent itself are left as they are.
 */
export function pathRedactor(paths: () => ReadonlyArray<readonly [path: string, placeholder: string]>): (text: string) => string {
  return (text) => {
    let result = text;
    const entries = paths()
      .filter(([path]) => path.length > 1)
      .sort((a, b) => b[0].length - a[0].length);
    for (const [path, placeholder] of entries) result = result.split(path).join(placeholder);
    return result;
  };
}
