/**
 * The container half of slim, as text: a POSIX sh driver that strips each candidate and a load
 * checker per language. Shipped as strings (not files beside the build) so the published package
 * carries them in dist/ and their hash can go into the cache key.
 *
 * Per object the driver:
 *   1. strips a copy (`strip --strip-debug -o`), so a refusal leaves the original untouched;
 *   2. drops the copy if it is not smaller (nothing to gain, nothing to check);
 *   3. loads the ORIGINAL first: an object that does not load as it is (say, it needs its package
 *      imported a certain way) cannot prove anything after stripping, so it is left alone;
 *   4. swaps in the stripped bytes (cat >, keeping inode, mode and hard links), loads again at the
 *      same level, and restores the original bytes if that fails.
 * Output: one tab-separated line per object: stripped|unchanged|skipped, path, then sizes or a
 * reason and the last line of the error.
 */

export const stripDriver = String.raw`#!/bin/sh
# usage: strip-objects.sh <root> <list-file> <checker command...>
set -u
root=$1 list=$2
shift 2
work=$(mktemp -d)
if ! command -v strip >/dev/null 2>&1; then
  while IFS= read -r rel; do printf 'skipped\t%s\tno-strip-tool\tstrip (binutils) is not installed in the build image\n' "$rel"; done < "$list"
  exit 0
fi
limit=""
if command -v timeout >/dev/null 2>&1; then limit="timeout 120"; fi
lastline() { tr '\t\r' '  ' < "$1" | grep -v '^[[:space:]]*$' | tail -n 1 | cut -c1-300; }
while IFS= read -r rel; do
  file="$root/$rel"
  if ! strip --strip-debug -o "$work/stripped" "$file" 2>"$work/err"; then
    printf 'skipped\t%s\tstrip-failed\t%s\n' "$rel" "$(lastline "$work/err")"; continue
  fi
  before=$(wc -c < "$file" | tr -d ' ')
  after=$(wc -c < "$work/stripped" | tr -d ' ')
  if [ "$after" -ge "$before" ]; then printf 'unchanged\t%s\n' "$rel"; continue; fi
  if ! level=$(cd /tmp && $limit "$@" "$root" "$rel" any 2>"$work/err"); then
    printf 'skipped\t%s\tunverifiable\t%s\n' "$rel" "$(lastline "$work/err")"; continue
  fi
  cp "$file" "$work/original"
  cat "$work/stripped" > "$file"
  if ! (cd /tmp && $limit "$@" "$root" "$rel" "$level" >/dev/null 2>"$work/err"); then
    cat "$work/original" > "$file"
    printf 'skipped\t%s\tload-failed\t%s\n' "$rel" "$(lastline "$work/err")"; continue
  fi
  printf 'stripped\t%s\t%s\t%s\n' "$rel" "$before" "$after"
done < "$list"
rm -rf "$work"
`;

/**
 * Python: import the extension module by its dotted name with the tree first on sys.path (so its
 * package's __init__ runs as it will on Lambda); an object that is not an importable extension
 * (a vendored libfoo.so) is dlopen()ed instead. Prints the level that worked: "import" or "dlopen".
 */
export const pythonChecker = String.raw`import ctypes, importlib, importlib.machinery, os, sys
sys.dont_write_bytecode = True
root, rel, level = sys.argv[1], sys.argv[2], sys.argv[3]
path = os.path.join(root, rel)
sys.path.insert(0, root)

def module_name():
    base = os.path.basename(rel)
    for suffix in sorted(importlib.machinery.EXTENSION_SUFFIXES, key=len, reverse=True):
        if base.endswith(suffix):
            parts = rel.split("/")[:-1] + [base[: -len(suffix)]]
            return ".".join(parts) if all(p.isidentifier() for p in parts) else None
    return None

name = module_name()
if level in ("any", "import") and name:
    try:
        module = importlib.import_module(name)
        if os.path.realpath(getattr(module, "__file__", "") or "") != os.path.realpath(path):
            raise ImportError("%s resolved to %s" % (name, getattr(module, "__file__", None)))
        print("import")
        sys.exit(0)
    except Exception as error:
        if level == "import":
            sys.stderr.write("import %s: %s: %s\n" % (name, type(error).__name__, error))
            sys.exit(1)
try:
    ctypes.CDLL(path)
except OSError as error:
    sys.stderr.write("dlopen: %s\n" % error)
    sys.exit(1)
print("dlopen")
`;

/**
 * Node: require() a .node addon; anything else (a bundled libvips.so) is dlopen()ed, where "did
 * not self-register" means the library loaded fine but is not an addon. Prints "require"/"dlopen".
 */
export const nodeChecker = String.raw`'use strict';
const path = require('path');
const [root, rel, level] = process.argv.slice(2);
const file = path.join(root, rel);
if ((level === 'any' || level === 'require') && rel.endsWith('.node')) {
  try {
    require(file);
    console.log('require');
    process.exit(0);
  } catch (error) {
    if (level === 'require') {
      console.error('require: ' + String(error && error.message).split('\n')[0]);
      process.exit(1);
    }
  }
}
try {
  process.dlopen({ exports: {} }, file);
} catch (error) {
  const message = String(error && error.message);
  if (!/did not self-register/.test(message)) {
    console.error('dlopen: ' + message.split('\n')[0]);
    process.exit(1);
  }
}
console.log('dlopen');
`;
