/**
 * The Debian mirror this machine already uses, read from its apt configuration. The offline base is
 * bootstrapped from it so lbuild never hard-codes a package host.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.js';

export function findAptMirror(aptDir = '/etc/apt'): string {
  const candidates: string[] = [];
  const sourcesDir = join(aptDir, 'sources.list.d');
  if (existsSync(sourcesDir)) {
    for (const name of readdirSync(sourcesDir).sort()) {
      if (name.endsWith('.sources') || name.endsWith('.list'))
        candidates.push(join(sourcesDir, name));
    }
  }
  candidates.push(join(aptDir, 'sources.list'));
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    const mirror = parseMirror(readFileSync(file, 'utf8'));
    if (mirror) return mirror;
  }
  throw new EnvironmentError('no Debian package mirror is configured on this machine', {
    hint: 'Offline images are bootstrapped from the apt mirror in /etc/apt/sources.list(.d). Set LBUILD_APT_MIRROR=http://<mirror>/debian.',
  });
}

/** First main-archive URI (not the security archive) in deb822 or one-line format. */
export function parseMirror(text: string): string | undefined {
  const uris: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const deb822 = /^URIs:\s*(\S+)/.exec(line);
    if (deb822) uris.push(deb822[1]!);
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/.exec(line);
    if (oneLine) uris.push(oneLine[1]!);
  }
  return uris.find((uri) => !/security/.test(uri) && /^https?:/.test(uri));
}
