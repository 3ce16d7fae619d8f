/**
 * Containers lbuild starts are registered here and removed on success, failure, and Ctrl-C/SIGTERM.
 * The CLI installs the signal handlers once; library users call `cleanupAll` themselves.
 */
import type Docker from 'dockerode';

const live = new Map<string, Docker.Container>();
const cleanupHooks = new Set<() => Promise<void>>();
/** createContainer calls in flight: Ctrl-C can land after the engine made one but before we know its id. */
const pendingCreates = new Set<Promise<Docker.Container | undefined>>();

/** Wrap docker.createContainer so a container being created when cleanup starts is removed too. */
export async function createTracked(
  create: () => Promise<Docker.Container>,
): Promise<Docker.Container> {
  const pending = create();
  const settled = pending.then(
    (c) => c,
    () => undefined,
  );
  pendingCreates.add(settled);
  try {
    const container = await pending;
    track(container);
    return container;
  } finally {
    pendingCreates.delete(settled);
  }
}

export function track(container: Docker.Container): void {
  live.set(container.id, container);
}

export function untrack(container: Docker.Container): void {
  live.delete(container.id);
}

export function trackedContainerIds(): string[] {
  return [...live.keys()];
}

/** Something else to undo on interruption (a half-written file, a compose project). */
export function onCleanup(hook: () => Promise<void>): () => void {
  cleanupHooks.add(hook);
  return () => cleanupHooks.delete(hook);
}

export async function removeContainer(container: Docker.Container): Promise<void> {
  try {
    await container.remove({ force: true, v: true });
  } catch (error) {
    // Already gone is fine: the goal is that it does not exist.
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  } finally {
    untrack(container);
  }
}

export async function cleanupAll(): Promise<void> {
  const hooks = [...cleanupHooks];
  cleanupHooks.clear();
  const inFlight = await Promise.all([...pendingCreates]);
  for (const container of inFlight) if (container) live.set(container.id, container);
  await Promise.allSettled([...live.values()].map((c) => removeContainer(c)));
  await Promise.allSettled(hooks.map((hook) => hook()));
}

const interruptListeners = new Set<() => void>();
/**
 * Called at once when Ctrl-C/SIGTERM arrives, before anything is removed: e.g. to stop streaming
 * function logs, so workers being torn down do not fill the terminal with their ends.
 */
export function onInterrupt(listener: () => void): () => void {
  interruptListeners.add(listener);
  return () => interruptListeners.delete(listener);
}

let signalsInstalled = false;
/** On SIGINT/SIGTERM remove everything we started, then exit with the conventional code. */
export function installSignalCleanup(onSignal: (signal: NodeJS.Signals) => void = () => {}): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  let handling = false;
  const handle = (signal: NodeJS.Signals) => {
    if (handling) return; // a second Ctrl-C while cleaning up: keep cleaning up
    handling = true;
    for (const listener of interruptListeners) {
      try {
        listener();
      } catch {
        // Stopping must go on whatever a listener does.
      }
    }
    onSignal(signal);
    void cleanupAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  // `on`, not `once`: execa's signal-exit re-raises the signal (killing us before cleanup ends)
  // when it believes it is the only listener left.
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
