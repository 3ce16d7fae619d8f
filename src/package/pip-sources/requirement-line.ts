/**
 * One line of a pip requirements file, read the way pip reads it: the files it includes (-r, -c),
 * the options that name where packages come from (--find-links, --index-url, --extra-index-url)
 * and the local things it installs (./pkg, /abs/x.whl, name @ file:///abs/pkg, -e ./pkg). Pure, so
 * the odd spellings pip accepts (-f./wheels, --find-links=x, continuation lines) are table-tested.
 */

/** pip options whose value can name a folder or file on this machine. */
export type SourceOption = 'find-links' | 'index-url' | 'extra-index-url';

export interface RequirementLine {
  /** -r / -c values: other requirement files. */
  includes: string[];
  sources: { option: SourceOption; value: string }[];
  /** Tokens that name a local package (still to be checked with localReference). */
  packages: string[];
}

/** Lines as pip sees them: a trailing backslash joins the next line, `#` starts a comment. */
export function logicalLines(text: string): { line: string; number: number }[] {
  const result: { line: string; number: number }[] = [];
  let pending = '';
  let start = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    if (!pending) start = index + 1;
    if (raw.endsWith('\\')) {
      pending += raw.slice(0, -1);
      return;
    }
    const line = (pending + raw).replace(/(^|\s)#.*$/, '').trim();
    pending = '';
    if (line) result.push({ line, number: start });
  });
  return result;
}

const longOptions: Record<string, SourceOption | 'include'> = {
  '--find-links': 'find-links',
  '--index-url': 'index-url',
  '--extra-index-url': 'extra-index-url',
  '--requirement': 'include',
  '--constraint': 'include',
};
const shortOptions: Record<string, SourceOption | 'include'> = {
  '-f': 'find-links',
  '-i': 'index-url',
  '-r': 'include',
  '-c': 'include',
};
const editable = new Set(['-e', '--editable']);

export function parseRequirementLine(line: string): RequirementLine {
  const parsed: RequirementLine = { includes: [], sources: [], packages: [] };
  const tokens = line.split(/\s+/).filter(Boolean);
  const add = (kind: SourceOption | 'include', value: string | undefined) => {
    if (value === undefined) return;
    if (kind === 'include') parsed.includes.push(value);
    else parsed.sources.push({ option: kind, value });
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const long = /^(--[a-z-]+)(?:=(.*))?$/.exec(token);
    if (long && longOptions[long[1]!]) {
      add(longOptions[long[1]!]!, long[2] ?? tokens[++i]);
      continue;
    }
    const short = /^(-[a-z])(.*)$/.exec(token);
    if (short && shortOptions[short[1]!]) {
      add(shortOptions[short[1]!]!, short[2] || tokens[++i]);
      continue;
    }
    if (editable.has(token)) continue; // its value is the next token: a package like any other
    if (token.startsWith('-')) continue;
    // `name@file:///pkg` written without spaces: the reference is what follows the @.
    parsed.packages.push(token.replace(/^[A-Za-z0-9._-]+(\[[^\]]*\])?@(?=file:)/, ''));
  }
  return parsed;
}

export interface LocalReference {
  /** The path as written: absolute, or relative to what the option's context says. */
  path: string;
  /** Written as a file: URL, so a rewritten value must be one too. */
  url: boolean;
}

/**
 * What a value names on this machine. `bare`: a plain relative name (`wheels`) counts as a path, as
 * for --find-links; for a requirement only ./, ../, / and file: do (pip reads `flask` as a name).
 * Remote URLs and names give undefined.
 */
export function localReference(value: string, bare: boolean): LocalReference | undefined {
  if (value.startsWith('file:')) {
    // file:///abs, file://localhost/abs, and pip's relative file:./pkg and file://./pkg
    const rest = value.slice(5).replace(/^\/\/(localhost)?(?=\/|\.)/, '');
    return { path: decodeURIComponent(rest), url: true };
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return undefined;
  if (value.startsWith('/') || value.startsWith('./') || value.startsWith('../'))
    return { path: value, url: false };
  return bare && value !== '' ? { path: value, url: false } : undefined;
}
