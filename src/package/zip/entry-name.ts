/**
 * Entry names are paths the extractor will write to, so a bad one is a zip-slip: `../x`, `/etc/x`,
 * `C:\x`. We reject rather than rewrite them, because a silently renamed file is a bug in the app
 * that shows up only on Lambda.
 */
import { UserError } from '../../errors.js';

const hint =
  'Entry names must be relative paths inside the package. Remove the file or link that produces this name from the build output.';

/** Normalise `./a//b/./c` to `a/b/c`; throw a UserError for absolute names and `..` segments. */
export function normalizeEntryName(raw: string): string {
  if (raw.includes('\0'))
    throw new UserError(`zip entry name contains a NUL byte: ${JSON.stringify(raw)}`, { hint });
  // A backslash is an ordinary character on Linux but a separator for Windows extractors, where
  // `a\..\..\x` escapes. Lambda apps have no reason to use it.
  if (raw.includes('\\'))
    throw new UserError(`zip entry name contains a backslash: ${JSON.stringify(raw)}`, { hint });
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) {
    throw new UserError(`zip entry name is absolute: ${JSON.stringify(raw)}`, { hint });
  }
  const segments: string[] = [];
  for (const segment of raw.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..')
      throw new UserError(`zip entry name escapes the package with "..": ${JSON.stringify(raw)}`, {
        hint,
      });
    segments.push(segment);
  }
  if (segments.length === 0)
    throw new UserError(`zip entry name is empty: ${JSON.stringify(raw)}`, { hint });
  const name = segments.join('/');
  if (Buffer.byteLength(name) > 0xffff)
    throw new UserError(`zip entry name is longer than 65535 bytes: ${name.slice(0, 80)}...`, {
      hint,
    });
  return name;
}

/** Byte order of the UTF-8 names: the same on every machine, unlike localeCompare. */
export function compareEntryNames(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}
