/**
 * Everything lbuild creates carries dev.lbuild.* labels, so it can be found and reaped later even
 * if a previous run was killed before it could clean up.
 */
import { hostname } from 'node:os';

export const labelPrefix = 'dev.lbuild';
export const managedLabel = `${labelPrefix}.managed`;
export const roleLabel = `${labelPrefix}.role`;
export const ownerPidLabel = `${labelPrefix}.pid`;
export const projectLabel = `${labelPrefix}.project`;
/** The function a worker container or worker code image belongs to (nothing lasting carries it). */
export const functionLabel = `${labelPrefix}.function`;
/** The machine (or dev container) of the owner pid: a pid means something only there. */
export const ownerHostLabel = `${labelPrefix}.host`;

export type ResourceRole = 'build' | 'worker' | 'probe' | 'image';

export function lbuildLabels(
  role: ResourceRole,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    [managedLabel]: 'true',
    [roleLabel]: role,
    [ownerPidLabel]: String(process.pid),
    [ownerHostLabel]: hostname(),
    ...extra,
  };
}
