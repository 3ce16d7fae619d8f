/**
 * The package-source settings of a pip configuration file (pip.conf, INI): find-links, index-url
 * and extra-index-url in the sections `pip install` reads ([global], [install]), each a
 * whitespace-separated list that may continue on indented lines. One walker both reads the values
 * and rewrites them (host paths to their place in the build container), leaving every other byte.
 */
import type { SourceOption } from './requirement-line.js';

const sourceKeys: Record<string, SourceOption> = {
  'find-links': 'find-links',
  find_links: 'find-links',
  'index-url': 'index-url',
  index_url: 'index-url',
  'extra-index-url': 'extra-index-url',
  extra_index_url: 'extra-index-url',
};
const readSections = new Set(['global', 'install']);

/** `rewrite` returns the new text of one value, or undefined to keep it. */
type Rewrite = (option: SourceOption, value: string) => string | undefined;

function walk(text: string, rewrite: Rewrite): string {
  let section = '';
  let option: SourceOption | undefined;
  const replaceValues = (values: string, key: SourceOption) =>
    values.replace(/\S+/g, (value) => rewrite(key, value) ?? value);
  return text
    .split('\n')
    .map((line) => {
      const header = /^\s*\[([^\]]+)\]/.exec(line);
      if (header) {
        section = header[1]!.trim();
        option = undefined;
        return line;
      }
      if (/^\s*([#;]|$)/.test(line)) return line;
      if (/^\s/.test(line)) return option ? replaceValues(line, option) : line;
      const entry = /^([^=:\s]+)(\s*[=:]\s*)(.*)$/.exec(line);
      option = entry && readSections.has(section) ? sourceKeys[entry[1]!] : undefined;
      if (!entry || !option) return line;
      return `${entry[1]}${entry[2]}${replaceValues(entry[3]!, option)}`;
    })
    .join('\n');
}

export function pipConfigSources(text: string): { option: SourceOption; value: string }[] {
  const found: { option: SourceOption; value: string }[] = [];
  walk(text, (option, value) => {
    found.push({ option, value });
    return undefined;
  });
  return found;
}

export function rewritePipConfig(text: string, rewrite: Rewrite): string {
  return walk(text, rewrite);
}
