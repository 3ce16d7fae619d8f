/**
 * The init phase of an execution environment: start the sandbox and wait until its runtime asks for
 * the first event (GET /next). Init Duration is that time. Init ends badly in three ways, each
 * reported as Lambda reports it: the runtime posts /init/error, exits, or takes too long.
 */
import type { RuntimeErrorReport } from '../../runtime-api/protocol.js';
import type { OutputListener, SandboxExit } from './sandbox.js';
import type { WorkerParts } from './worker-parts.js';
import { enforcedTimeoutMs } from './enforced-timeout.js';

/**
 * Lambda gives init 10 s and, when that runs out, retries it within the invocation's own timeout.
 * Here the one attempt may take both, so a slow import that works on Lambda also works locally.
 */
export const initGraceMs = 10_000;

export type InitFailure =
  | { kind: 'init-error'; report: RuntimeErrorReport }
  | { kind: 'exit'; exit: SandboxExit }
  | { kind: 'timeout' };

export type InitResult =
  { ok: true; durationMs: number } | { ok: false; durationMs: number; failure: InitFailure };

/**
 * Start the sandbox; resolves when the runtime is ready or init failed. Throws if it cannot start
 * at all. `onStarted` is told when the sandbox is running (the runtime's own init goes on).
 */
export async function initialize(
  parts: WorkerParts,
  onOutput: OutputListener,
  onStarted?: () => void,
): Promise<InitResult> {
  const { attached, sandbox, fn } = parts;
  let markReady!: () => void;
  let markInitError!: (report: RuntimeErrorReport) => void;
  const ready = new Promise<{ kind: 'ready' }>(
    (resolve) => (markReady = () => resolve({ kind: 'ready' })),
  );
  const initError = new Promise<{ kind: 'init-error'; report: RuntimeErrorReport }>(
    (resolve) => (markInitError = (report) => resolve({ kind: 'init-error', report })),
  );
  attached.endpoint.hooks.onReady = () => markReady();
  attached.endpoint.hooks.onInitError = (report) => markInitError(report);

  const started = performance.now();
  await sandbox.start(onOutput);
  onStarted?.();
  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = enforcedTimeoutMs(fn);
  const first = await Promise.race([
    ready,
    initError,
    sandbox.exited.then((exit) => ({ kind: 'exit' as const, exit })),
    // Under a debugger init may wait for it to attach (--debug-wait) or stop at a breakpoint.
    ...(timeoutMs === undefined
      ? []
      : [
          new Promise<{ kind: 'timeout' }>(
            (resolve) =>
              (timer = setTimeout(() => resolve({ kind: 'timeout' }), initGraceMs + timeoutMs)),
          ),
        ]),
  ]);
  clearTimeout(timer);
  const durationMs = performance.now() - started;
  if (first.kind === 'ready') return { ok: true, durationMs };
  if (first.kind === 'init-error') {
    // Runtimes exit right after reporting; give the last output lines a moment to arrive.
    await Promise.race([sandbox.exited, new Promise((resolve) => setTimeout(resolve, 200))]);
    await sandbox.settleOutput();
    return { ok: false, durationMs, failure: { kind: 'init-error', report: first.report } };
  }
  if (first.kind === 'exit')
    return { ok: false, durationMs, failure: { kind: 'exit', exit: first.exit } };
  return { ok: false, durationMs, failure: { kind: 'timeout' } };
}
