// Resident memory of a process tree, from /proc (Linux): the emulator plus its worker processes, or
// a container's processes (found through the engine's State.Pid). Shared pages are counted once
// per process, so this is an upper bound, the same way for every target.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** @returns {Map<number, number[]>} each parent pid to its children's pids */
function parentMap() {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid ...": comm may contain spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid);
    if (list) list.push(Number(name));
    else children.set(ppid, [Number(name)]);
  }
  return children;
}

/** @param {number} pid */
function rssKb(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * The given roots and all their descendants (each once).
 * @param {number[]} roots
 * @returns {number[]}
 */
function processTree(roots) {
  const children = parentMap();
  /** @type {Set<number>} */
  const seen = new Set();
  const stack = [...roots];
  while (stack.length > 0) {
    const pid = /** @type {number} */ (stack.pop());
    if (seen.has(pid)) continue;
    seen.add(pid);
    for (const child of children.get(pid) ?? []) stack.push(child);
  }
  return [...seen];
}

/**
 * Sum of VmRSS (MB) over the given roots and all their descendants.
 * @param {number[]} roots
 */
export function treeRssMb(roots) {
  const pids = processTree(roots);
  return { mb: pids.reduce((kb, pid) => kb + rssKb(pid), 0) / 1024, processes: pids.length };
}

/**
 * Host PIDs of the running containers that an lbuild process (by its pid label) started.
 * @param {number} ownerPid
 * @returns {number[]}
 */
export function containerPids(ownerPid) {
  const ids = execFileSync('docker', ['ps', '-q', '--filter', `label=dev.lbuild.pid=${ownerPid}`], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .filter(Boolean);
  if (ids.length === 0) return [];
  return execFileSync('docker', ['inspect', '-f', '{{.State.Pid}}', ...ids], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map(Number)
    .filter((pid) => pid > 0);
}

export function loadAverage() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

const clockTicks = 100; // USER_HZ on Linux

/**
 * CPU time (ms, user + system) used so far by the given roots and all their descendants.
 * @param {number[]} roots
 */
export function treeCpuMs(roots) {
  let ticks = 0;
  for (const pid of processTree(roots)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone.
    }
  }
  return (ticks * 1000) / clockTicks;
}

/** CPU time (ms) the whole machine spent busy so far (all cores, from /proc/stat). */
export function machineBusyMs() {
  // The first line is the "cpu" total: user nice system idle iowait irq softirq steal ...
  const cpuLine = /** @type {string} */ (readFileSync('/proc/stat', 'utf8').split('\n')[0]);
  const fields = cpuLine.trim().split(/\s+/).slice(1).map(Number);
  const idle = /** @type {number} */ (fields[3]) + (fields[4] ?? 0);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return ((total - idle) * 1000) / clockTicks;
}

/**
 * Measures, over a phase, how much CPU the machine spent on processes that are not part of the
 * benchmark (other users of the machine): the honest label for numbers taken on a shared host.
 * @param {() => number[]} rootsOf the benchmark's process roots, read again at the end of the phase
 * @returns {() => { foreignCores: number, benchCores: number }}
 */
export function foreignCpuMeter(rootsOf) {
  const start = {
    busy: machineBusyMs(),
    mine: treeCpuMs(rootsOf()) + selfCpuMs(),
    at: performance.now(),
  };
  return () => {
    const busy = machineBusyMs() - start.busy;
    const mine = treeCpuMs(rootsOf()) + selfCpuMs() - start.mine;
    const seconds = (performance.now() - start.at) / 1000;
    return {
      foreignCores: Math.max(0, (busy - mine) / 1000 / seconds),
      benchCores: mine / 1000 / seconds,
    };
  };
}

function selfCpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
