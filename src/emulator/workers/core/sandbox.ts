/**
 * What a worker runs in: a host process or a Docker container. Both start lbuild's (or AWS's)
 * runtime with Lambda's environment, report its output line by line, and tell how it ended, so
 * workers/core/worker.ts can drive either through the Runtime API with the same code.
 */
import type { OutputMark } from '../../runtime-api/protocol.js';

export interface SandboxExit {
  exitCode: number | null;
  signal?: string;
  /** The kernel killed it for exceeding its memory limit (container State.OOMKilled). */
  oomKilled: boolean;
}

export type OutputListener = (stream: 'stdout' | 'stderr', line: string) => void;

export interface Sandbox {
  readonly kind: 'process' | 'container';
  /** Start the runtime. Rejects when it could not be started at all (missing image, bad command). */
  start(onOutput: OutputListener): Promise<void>;
  /** Settles once, when the runtime has stopped for any reason (including kill). */
  readonly exited: Promise<SandboxExit>;
  /** Stop it now (SIGKILL) and release what it holds; safe to call more than once. */
  kill(): Promise<void>;
  /**
   * Peak memory of the sandbox so far, in MB; undefined when it cannot be measured.
   * `runtimeReportedKb`: the runtime's own peak RSS (lbuild's bootstraps send it with each result),
   * which a sandbox whose only process is the runtime may use instead of measuring.
   */
  peakMemoryMb(runtimeReportedKb?: number): Promise<number | undefined>;
  /**
   * Wait until output written before now has reached the listener (best effort, bounded). With
   * `written` (what the runtime reports having written), wait exactly for those bytes instead.
   */
  settleOutput(written?: OutputMark): Promise<void>;
}

/** Everything a sandbox needs to know to start one execution environment. */
export interface SandboxSpec {
  workerId: string;
  functionName: string;
  handler: string;
  env: Record<string, string>;
  memorySizeMb: number;
  ephemeralStorageMb: number;
}
