/**
 * package.slim (lbuild.json) or --slim, resolved into the exact lists that run. The resolved form
 * is what the cache key hashes, so a change to lbuild's built-in lists, the user's lists or the
 * strip settings gives a new slimmed tree, never a stale one.
 */
import { createHash } from 'node:crypto';
import ignore from 'ignore';
import type { SlimConfig } from '../../config/types.js';
import type { Language } from '../../runtimes/catalog.js';
import { defaultKeepPatterns, defaultRemovePatterns } from './rules.js';

export interface ResolvedSlim {
  language: Language;
  remove: string[];
  keep: string[];
  strip: { enabled: boolean; minBytes: number; exclude: string[] };
}

/** Below this, a shared object has no room for debug info worth a container exec. */
export const defaultStripMinBytes = 4096;

export function resolveSlim(config: SlimConfig, language: Language): ResolvedSlim {
  const strip = config.strip ?? true;
  const stripObject = typeof strip === 'object' ? strip : {};
  return {
    language,
    remove: [
      ...(config.defaults === false
        ? []
        : defaultRemovePatterns(language, config.keepTypeStubs ?? false)),
      ...(config.remove ?? []),
    ],
    keep: [...defaultKeepPatterns(language), ...(config.keep ?? [])],
    strip: {
      enabled: strip !== false,
      minBytes: stripObject.minBytes ?? defaultStripMinBytes,
      exclude: stripObject.exclude ?? [],
    },
  };
}

/** The slimmed tree's cache key: the unslimmed tree's key plus everything slim does to it. */
export function slimCacheKey(
  installKey: string,
  slim: ResolvedSlim,
  scriptsSha256: string,
): string {
  return createHash('sha256')
    .update(JSON.stringify({ installKey, slim, scriptsSha256 }))
    .digest('hex');
}

export interface SlimMatcher {
  /** Path relative to the dependencies' root; directories end with "/". */
  removes(path: string): boolean;
  /** Shared objects that must not be stripped. */
  keepsSymbols(path: string): boolean;
}

export function slimMatcher(slim: ResolvedSlim): SlimMatcher {
  const remove = ignore().add(slim.remove);
  const keep = ignore().add(slim.keep);
  const noStrip = ignore().add(slim.strip.exclude);
  return {
    removes: (path) => remove.ignores(path) && !keep.ignores(path),
    keepsSymbols: (path) => slim.strip.exclude.length > 0 && noStrip.ignores(path),
  };
}
