/**
 * What a killed lbuild (SIGKILL, a cancelled CI job, a closed laptop) leaves half-written: files
 * and folders named `<name>.tmp-<pid>` or `<name>.partial-<pid>` (a zip being written, a cache
 * entry being stored), and folders `<prefix><pid>-<random>` (the Runtime API's socket folders).
 * Whatever lbuild writes goes to such a name first and is renamed into place only when complete,
 * so a crash never leaves a truncated file under the real name; this removes the leftovers of
 * processes that are gone, the next time a command looks in that folder. A live process's files are
 * never touched (two builds of one project may run at once).
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from './process-alive.js';

/** `<name>.tmp-<pid>` or `<name>.partial-<pid>`: the pid of the writer. */
const partialName = /\.(?:tmp|partial)-(\d+)$/;

/** The pid in a leftover's name: `<name>.tmp-<pid>`, or `<prefix><pid>-...` when a prefix is given. */
function writerPid(name: string, prefix?: string): number | undefined {
  if (prefix !== undefined) {
    if (!name.startsWith(prefix)) return undefined;
    const pid = /^(\d+)-/.exec(name.slice(prefix.length));
    return pid ? Number(pid[1]) : undefined;
  }
  const match = partialName.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * Remove the leftovers of dead lbuild processes directly inside `dir` (not below it). With a
 * `prefix`, entries named `<prefix><pid>-...` are considered instead of `.tmp-<pid>` names.
 * Returns what was removed; a folder that does not exist has nothing to remove.
 */
export async function removeStalePartials(dir: string, prefix?: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((name) => {
    const pid = writerPid(name, prefix);
    return pid !== undefined && pid !== process.pid && !isProcessAlive(pid);
  });
  await Promise.all(
    stale.map((name) =>
      rm(join(dir, name), { recursive: true, force: true }).catch(() => undefined),
    ),
  );
  return stale.map((name) => join(dir, name));
}
