/**
 * Peak memory of a container worker for REPORT's "Max Memory Used". Reading the cgroup file
 * directly is instant when the engine is local; the stats API (one-shot) is the fallback for remote
 * engines. cgroup v1 has max_usage_in_bytes (a true peak); cgroup v2 has memory.peak on newer
 * kernels, else only the current usage, which is then what we report.
 *
 * It is read after every invocation, so the file that works is remembered and re-read through a
 * kept descriptor (KernelFile) rather than probed again with four thread-pool calls each time.
 */
import type Docker from 'dockerode';
import { KernelFile } from '../core/kernel-file.js';

const mib = 1024 * 1024;

function cgroupCandidates(id: string): string[] {
  return [
    `/sys/fs/cgroup/memory/docker/${id}/memory.max_usage_in_bytes`,
    `/sys/fs/cgroup/memory/system.slice/docker-${id}.scope/memory.max_usage_in_bytes`,
    `/sys/fs/cgroup/system.slice/docker-${id}.scope/memory.peak`,
    `/sys/fs/cgroup/docker/${id}/memory.peak`,
  ];
}

function bytesOf(file: KernelFile): number | undefined {
  const text = file.read();
  const bytes = text === undefined ? NaN : Number(text.trim());
  return Number.isFinite(bytes) && bytes > 0 ? bytes : undefined;
}

/** One container's peak memory, with the cgroup file found on the first read kept for the next. */
export class ContainerMemory {
  private file: KernelFile | undefined;

  constructor(
    private readonly docker: Docker,
    private readonly id: string,
  ) {}

  async peakMb(): Promise<number | undefined> {
    if (this.file) {
      const bytes = bytesOf(this.file);
      if (bytes !== undefined) return bytes / mib;
      // The cgroup went away with the container; the stats API says the same, so stop here.
      return undefined;
    }
    for (const path of cgroupCandidates(this.id)) {
      const file = new KernelFile(path, 64);
      const bytes = bytesOf(file);
      if (bytes !== undefined) {
        this.file = file;
        return bytes / mib;
      }
      file.close();
    }
    // Not a local engine: the stats API.
    try {
      const stats = await this.docker
        .getContainer(this.id)
        .stats({ stream: false, 'one-shot': true });
      const memory = stats.memory_stats as { max_usage?: number; usage?: number };
      const bytes = memory.max_usage ?? memory.usage;
      return bytes ? bytes / mib : undefined;
    } catch {
      return undefined;
    }
  }

  close(): void {
    this.file?.close();
    this.file = undefined;
  }
}

export async function containerPeakMemoryMb(
  docker: Docker,
  id: string,
): Promise<number | undefined> {
  const memory = new ContainerMemory(docker, id);
  try {
    return await memory.peakMb();
  } finally {
    memory.close();
  }
}
