/**
 * Peak memory of a container worker for REPORT's "Max Memory Used". Reading the cgroup file
 * directly is instant when the engine is local; the stats API (one-shot) is the fallback for remote
 * engines. cgroup v1 has max_usage_in_bytes (a true peak); cgroup v2 has memory.peak on newer
 * kernels, else only the current usage, which is then what we report.
 */
import type Docker from 'dockerode';
import { readFile } from 'node:fs/promises';

const mib = 1024 * 1024;

function cgroupCandidates(id: string): string[] {
  return [
    `/sys/fs/cgroup/memory/docker/${id}/memory.max_usage_in_bytes`,
    `/sys/fs/cgroup/memory/system.slice/docker-${id}.scope/memory.max_usage_in_bytes`,
    `/sys/fs/cgroup/system.slice/docker-${id}.scope/memory.peak`,
    `/sys/fs/cgroup/docker/${id}/memory.peak`,
  ];
}

export async function containerPeakMemoryMb(docker: Docker, id: string): Promise<number | undefined> {
  for (const file of cgroupCandidates(id)) {
    try {
      const bytes = Number((await readFile(file, 'utf8')).trim());
      if (Number.isFinite(bytes) && bytes > 0) return bytes / mib;
    } catch {
      // Not this layout (or not a local engine): try the next.
    }
  }
  try {
    const stats = await docker.getContainer(id).stats({ stream: false, 'one-shot': true });
    const memory = stats.memory_stats as { max_usage?: number; usage?: number };
    const bytes = memory.max_usage ?? memory.usage;
    return bytes ? bytes / mib : undefined;
  } catch {
    return undefined;
  }
}
