/**
 * The Docker container of a function's sandbox, shaped like Lambda's: read-only root file system,
 * a /tmp tmpfs sized by ephemeralStorage, a non-root user, memory limit = memorySize with no swap
 * (so exceeding it is an OOM kill, as on Lambda), 1,024 processes and file descriptors, no
 * capabilities. Workers run their runtime in it; `lbuild manage` runs a management command in the
 * same shape, so both see the file system and limits the function has on Lambda.
 */
import type Docker from 'dockerode';
import { lbuildLabels, type ResourceRole } from '../../../docker/labels.js';

/** Lambda runs functions as sbx_user1051, uid/gid 993. */
export const lambdaUser = '993:993';

export interface SandboxContainerSpec {
  /** The container's name in `docker ps`. */
  name: string;
  image: string;
  entrypoint: string[];
  cmd: string[];
  env: Record<string, string>;
  memorySizeMb: number;
  ephemeralStorageMb: number;
  labels: Record<string, string>;
  platform?: string;
  /** Docker network to join; the default bridge when absent. */
  network?: string;
  /** Host path → container path bind mounts (a worker's Runtime API socket; the debug layer, read-only). */
  binds?: string[];
  /** Container TCP ports published on this host's loopback only (a debugger's port). */
  publish?: Array<{ container: number; host: number }>;
}

const mib = 1024 * 1024;

export function sandboxCreateOptions(
  role: ResourceRole,
  o: SandboxContainerSpec,
): Docker.ContainerCreateOptions {
  return {
    name: o.name,
    Image: o.image,
    Entrypoint: o.entrypoint,
    Cmd: o.cmd,
    Env: Object.entries(o.env).map(([key, value]) => `${key}=${value}`),
    User: lambdaUser,
    WorkingDir: '/var/task',
    Labels: lbuildLabels(role, o.labels),
    ...(o.publish?.length
      ? { ExposedPorts: Object.fromEntries(o.publish.map((p) => [`${p.container}/tcp`, {}])) }
      : {}),
    HostConfig: {
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': `rw,nosuid,nodev,size=${o.ephemeralStorageMb}m,mode=1777` },
      Memory: o.memorySizeMb * mib,
      MemorySwap: o.memorySizeMb * mib,
      PidsLimit: 1024,
      Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 1024 }],
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      // Lets function code reach services on the developer's machine, as a VPC would reach a database.
      ExtraHosts: ['host.docker.internal:host-gateway'],
      // A tiny init as PID 1 reaps the function's child processes and passes signals on.
      Init: true,
      AutoRemove: false,
      ...(o.network ? { NetworkMode: o.network } : {}),
      ...(o.binds?.length ? { Binds: o.binds } : {}),
      ...(o.publish?.length
        ? {
            PortBindings: Object.fromEntries(
              o.publish.map((p) => [
                `${p.container}/tcp`,
                [{ HostIp: '127.0.0.1', HostPort: String(p.host) }],
              ]),
            ),
          }
        : {}),
    },
    ...(o.platform ? { platform: o.platform } : {}),
  };
}
