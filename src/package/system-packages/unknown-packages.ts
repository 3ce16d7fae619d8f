/**
 * Which requested packages a package manager did not know, read from its output, so the error
 * names them instead of showing a page of apt or yum output. Each pattern is the manager's own
 * message for a name it cannot find:
 *
 * - apt-get: "E: Unable to locate package foo", "E: Package 'foo' has no installation candidate"
 *   (a virtual or removed package), "E: Couldn't find any package by glob|regex 'foo*'"
 * - yum (Amazon Linux 2): "No package foo available."
 * - dnf: "No match for argument: foo" (dnf 4 and 5); microdnf: "error: No package matches 'foo'"
 */
const patterns: RegExp[] = [
  /^E: Unable to locate package (\S+)/,
  /^E: Package '([^']+)' has no installation candidate/,
  /^E: Couldn't find any package by (?:glob|regex) '([^']+)'/,
  /^No package (\S+) available\./,
  /No match for argument: (\S+)/,
  /No package matches '([^']+)'/,
];

/** The requested names the output says were not found, in the order requested. */
export function unknownPackages(output: string, requested: string[]): string[] {
  const found = new Set<string>();
  for (const line of output.split('\n')) {
    for (const pattern of patterns) {
      const match = pattern.exec(line.trim());
      if (match) found.add(match[1]!);
    }
  }
  return requested.filter((name) => found.has(name));
}
