/** Workers that run lbuild's bootstrap as a host process, with the code folder as LAMBDA_TASK_ROOT. */
import type { ResolvedFunction } from '../../../config/load.js';
import type { LogSink } from '../../logs/sink.js';
import type { RuntimeApiServer } from '../../runtime-api/server.js';
import { assembleWorker } from '../core/assemble-worker.js';
import { bootstrapArgs, bootstrapSourceDir } from '../core/bootstrap.js';
import type { Worker } from '../core/worker.js';
import type { WorkerFactory } from '../core/worker-factory.js';
import { hostInterpreter } from './host-interpreters.js';
import { ProcessSandbox } from './process-sandbox.js';

export interface ProcessWorkerFactoryOptions {
  server: RuntimeApiServer;
  logs: LogSink;
  codeDir: string;
  region: string;
  /** Python executable (default: python3 on PATH). */
  python?: string;
  /** Node executable (default: the Node running lbuild). */
  node?: string;
  /**
   * Run this instead of lbuild's bootstrap (e.g. AWS's aws-lambda-ric, or a custom runtime's
   * bootstrap). It gets the same environment and must speak the Runtime API.
   */
  runtimeCommand?: RuntimeCommand;
}

export type RuntimeCommand = (
  fn: ResolvedFunction,
  handler: string,
) => { command: string; args: string[] };

export class ProcessWorkerFactory implements WorkerFactory {
  readonly kind = 'process' as const;
  private readonly warned = new Set<string>();

  constructor(private readonly options: ProcessWorkerFactoryOptions) {}

  async create(fn: ResolvedFunction, handler: string): Promise<Worker> {
    const { codeDir, runtimeCommand } = this.options;
    const language = fn.runtime.language;
    const custom = runtimeCommand?.(fn, handler);
    const interpreter = custom
      ? { path: custom.command, version: fn.runtime.version }
      : await hostInterpreter(
          language,
          language === 'python' ? this.options.python : this.options.node,
        );
    this.warnOnVersionMismatch(fn, interpreter.version);
    const runtimeDir = bootstrapSourceDir(language);
    const args = custom ? custom.args : bootstrapArgs(language, runtimeDir);
    return assembleWorker(this.options, {
      fn,
      handler,
      // lbuild's bootstraps take the Unix socket (cheaper per invocation); a custom runtime gets TCP only.
      attach: custom ? {} : { localSocket: 'owner' },
      environment: {
        taskRoot: codeDir,
        runtimeDir,
        placement: 'host',
        ...(process.env.PATH ? { hostPath: process.env.PATH } : {}),
      },
      socketInSandbox: (hostPath) => hostPath,
      sandbox: ({ env }) =>
        new ProcessSandbox({ command: interpreter.path, args, env, cwd: codeDir }),
    });
  }

  async invalidate(): Promise<void> {
    // Host processes read the code folder directly: a new worker sees new code.
  }

  async dispose(): Promise<void> {}

  private warnOnVersionMismatch(fn: ResolvedFunction, hostVersion: string): void {
    if (hostVersion === fn.runtime.version || this.warned.has(fn.runtime.name)) return;
    this.warned.add(fn.runtime.name);
    this.options.logs.emit({
      functionName: fn.name,
      kind: 'platform',
      level: 'warn',
      message: `host-process workers run ${fn.runtime.language} ${hostVersion}, not ${fn.runtime.name}: use container workers for runtime parity`,
    });
  }
}
