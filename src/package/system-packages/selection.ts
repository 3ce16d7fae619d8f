/**
 * Which OS packages this build installs: package.systemPackages names them per package manager,
 * and the build image decides the manager (apt on the offline stand-ins, yum on Amazon Linux 2,
 * dnf on Amazon Linux 2023). A project written for the official images (`"dnf": [...]`) that is
 * built on a stand-in gets no packages and a warning saying which key to add, rather than a
 * guess at Debian's names.
 */
import type { ResolvedSystemPackages } from '../../config/resolved-project.js';
import type { SystemPackageManager } from '../../runtimes/catalog.js';

export interface SystemPackagesSelection {
  manager: SystemPackageManager;
  /** Sorted and without duplicates: the order never matters to a package manager, nor to the cache. */
  packages: string[];
  /** Where lbuild.json names them, for messages: package.systemPackages(.apt|.yum|.dnf). */
  configKey: string;
}

const usedBy: Record<SystemPackageManager, string> = {
  apt: 'the offline Debian stand-ins',
  yum: 'the Amazon Linux 2 build images',
  dnf: 'the Amazon Linux 2023 build images',
};

export function selectSystemPackages(
  resolved: ResolvedSystemPackages,
  manager: SystemPackageManager,
): { selection: SystemPackagesSelection | undefined; warning: string | undefined } {
  const named = resolved.byManager[manager] ?? [];
  const packages = [...new Set(named)].sort();
  const configKey = resolved.sameForAll
    ? 'package.systemPackages'
    : `package.systemPackages.${manager}`;
  const others = Object.entries(resolved.byManager).filter(
    ([other, list]) => other !== manager && list.length > 0,
  );
  const warning =
    packages.length === 0 && others.length > 0
      ? `package.systemPackages names packages for ${others.map(([m]) => m).join(', ')} but none for ${manager}, which ${usedBy[manager]} use: none are installed (add "${manager}": [...])`
      : undefined;
  return {
    selection: packages.length > 0 ? { manager, packages, configKey } : undefined,
    warning,
  };
}
