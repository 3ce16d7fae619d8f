/**
 * A worker as a host process: fast to start, no Docker needed, but no file system, memory or OS
 * parity (use container workers for that). The runtime gets only Lambda's environment, not the
 * host's, so secrets in the developer's shell do not leak into function code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { LineSplitter } from '../../logs/line-splitter.js';
import type { OutputMark } from '../../runtime-api/protocol.js';
import { KernelFile } from '../core/kernel-file.js';
import { OutputCounter } from '../core/output-counter.js';
import type { OutputListener, Sandbox, SandboxExit } from '../core/sandbox.js';

export interface ProcessSandboxOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

export class ProcessSandbox implements Sandbox {
  readonly kind = 'process' as const;
  readonly exited: Promise<SandboxExit>;
  private resolveExit!: (exit: SandboxExit) => void;
  private child: ChildProcess | undefined;
  private status: KernelFile | undefined;
  private readonly output = new OutputCounter();

  constructor(private readonly options: ProcessSandboxOptions) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  start(onOutput: OutputListener): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.command, this.options.args, {
        cwd: this.options.cwd,
        env: this.options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so a kill also takes down anything the function spawned.
        detached: true,
      });
      this.child = child;
      const out = new LineSplitter((line) => onOutput('stdout', line));
      const err = new LineSplitter((line) => onOutput('stderr', line));
      // Counted after the lines are handed on, so a settled wait finds them already logged.
      child.stdout?.on('data', (chunk: Buffer) => {
        out.push(chunk);
        this.output.add('stdout', chunk.length);
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        err.push(chunk);
        this.output.add('stderr', chunk.length);
      });
      child.once('spawn', () => resolve());
      child.once('error', (error) => {
        reject(error);
        this.resolveExit({ exitCode: null, signal: undefined, oomKilled: false });
      });
      // 'close' (not 'exit') so the last output lines are delivered before we report the end.
      child.once('close', (code, signal) => {
        this.status?.close();
        out.end();
        err.end();
        this.resolveExit({ exitCode: code, ...(signal ? { signal } : {}), oomKilled: false });
      });
    });
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    // The whole group, even when the runtime itself has exited: the function may have left children.
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // ESRCH: nothing left in the group.
    }
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await this.exited;
  }

  /**
   * VmHWM (peak resident set size) of the runtime process: the closest host-side equivalent of
   * Lambda's "Max Memory Used". Children of the runtime are not counted. The runtime's own report
   * (ru_maxrss, the same counter) saves reading /proc on every invocation.
   */
  async peakMemoryMb(runtimeReportedKb?: number): Promise<number | undefined> {
    const pid = this.child?.pid;
    if (pid === undefined || this.child!.exitCode !== null || this.child!.signalCode !== null)
      return undefined;
    if (runtimeReportedKb !== undefined) return runtimeReportedKb / 1024;
    this.status ??= new KernelFile(`/proc/${pid}/status`);
    const status = this.status.read();
    const match = status === undefined ? null : /^VmHWM:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  }

  /**
   * The runtime flushes its output before it posts a result, so that output is already readable
   * on the pipe. When the runtime says how much it wrote (lbuild's bootstraps), wait for exactly
   * that (usually there already); otherwise two turns of the event loop let Node deliver it.
   */
  async settleOutput(written?: OutputMark): Promise<void> {
    if (written) return this.output.waitFor(written, 60);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  }
}
