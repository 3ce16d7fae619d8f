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
/** One worker of a function's pool (its worker id). */
export const workerLabel = `${labelPrefix}.worker`;

// A function image (`package.format: "image"`) says what it was built from.
export const runtimeLabel = `${labelPrefix}.runtime`;
export const architectureLabel = `${labelPrefix}.architecture`;
export const handlerLabel = `${labelPrefix}.handler`;
export const baseImageLabel = `${labelPrefix}.base-image`;
export const contentHashLabel = `${labelPrefix}.content-sha256`;

// Derived and stand-in images carry the hash of their inputs, so an unchanged one is not rebuilt.
export const standInHashLabel = `${labelPrefix}.standin-sha256`;
export const helperHashLabel = `${labelPrefix}.helper-sha256`;
export const baseIdLabel = `${labelPrefix}.base-id`;

// Compose's own labels: how the containers of a stack's Compose project are found.
export const composeProjectLabel = 'com.docker.compose.project';
export const composeServiceLabel = 'com.docker.compose.service';

/**
 * `image`: a worker code image; `function-image`: the image `lbuild package` produces; `manage`:
 * the container of one `lbuild manage` command.
 */
export type ResourceRole = 'build' | 'worker' | 'probe' | 'manage' | 'image' | 'function-image';

/**
 * The roles of containers an lbuild process creates and owns. A container started from one of
 * lbuild's images by someone else (Compose's Postgres from the offline stand-in) inherits the
 * image's labels, role `image` and the pid of the long-gone process that built it: it is no orphan.
 */
export const ownedContainerRoles: readonly string[] = ['build', 'worker', 'probe', 'manage'];

/** The labels every stack resource (Compose services and volumes) carries. */
export function stackLabels(projectName: string): Record<string, string> {
  return { [managedLabel]: 'true', [projectLabel]: projectName };
}

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
