/**
 * The container half of library bundling, as text (put in with putArchive, hashed into the cache
 * key, like slim's strip driver): list what each ELF file of the installed tree needs, resolved by
 * the build container's own loader with `ldd`, which follows the libraries those need in turn and
 * works for arm64 under QEMU too.
 *
 * Output:
 *   lib-entry <TAB> <name>     for everything already in <root>/lib (never overwritten)
 *   ==> ./<relative path>      an ELF file, followed by its `ldd` lines
 *
 * Only files that may be ELF are opened (shared objects by name, executables by mode), then
 * checked by their magic: a node_modules tree has tens of thousands of files, and one `ldd` per
 * file would take minutes.
 */
export const scanScript = String.raw`#!/bin/sh
# usage: scan-libraries.sh <root>
set -u
root=$1
if ! command -v ldd >/dev/null 2>&1; then
  echo "lbuild: ldd is not installed in the build image" >&2
  exit 127
fi
cd "$root" || exit 2
if [ -d lib ]; then
  for entry in lib/* lib/.[!.]*; do
    if [ -e "$entry" ] || [ -L "$entry" ]; then printf 'lib-entry\t%s\n' "$(basename "$entry")"; fi
  done
fi
find . -type f \( -name '*.so' -o -name '*.so.*' -o -name '*.node' -o -perm -u+x \) -print |
  LC_ALL=C sort |
  while IFS= read -r file; do
    magic=$(head -c 4 "$file" 2>/dev/null | od -An -c | tr -d ' \n')
    [ "$magic" = '177ELF' ] || continue
    printf '==> %s\n' "$file"
    ldd "$file" 2>&1
  done
exit 0
`;
