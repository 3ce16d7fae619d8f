/** The runtime table `lbuild doctor` prints: every runtime lbuild knows and where it stands. */
import { runtimes, type RuntimeInfo, type RuntimeStatus } from '../runtimes/catalog.js';
import { runtimeWarning } from '../runtimes/lookup.js';

export interface RuntimeRow {
  name: string;
  status: RuntimeStatus;
  os: string;
  glibc: string;
  lifecycle: RuntimeInfo['lifecycle'];
  /** The offline stand-in's Debian release and glibc, if there is one. */
  standIn: string | null;
  warning: string | null;
}

export function runtimeRows(): RuntimeRow[] {
  return runtimes.map((r) => ({
    name: r.name,
    status: r.status,
    os: r.os,
    glibc: r.glibc,
    lifecycle: r.lifecycle,
    standIn: r.standIn ? `Debian ${r.standIn.debian} (glibc ${r.standIn.glibc})` : null,
    warning: runtimeWarning(r) ?? null,
  }));
}
