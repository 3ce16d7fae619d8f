/** The hot-reload phase of `lbuild serve`: repackage on a change, then recycle the warm workers. */
import { formatMs, silentReporter } from '../log.js';
import type { Emulator } from '../emulator/index.js';
import { dependencyInputs } from '../package/dependency-inputs.js';
import { findPipSources } from '../package/pip-sources/find-sources.js';
import { sourceFilterFor } from '../package/ignore-rules.js';
import { packageProject } from '../package/package-project.js';
import type { StackContext } from './stack-context.js';
import { watchProject, type ChangeKind } from './watch.js';

export type ReloadListener = (event: { kind: string; ms: number }) => void;

export function watchForReloads(
  ctx: StackContext,
  emulator: Pick<Emulator, 'reloadCode'>,
  zip: string,
  listeners: ReloadListener[],
): void {
  const { project } = ctx;
  const deps = project.package.dependencies;
  const watcher = watchProject({
    root: project.root,
    filter: sourceFilterFor(project),
    dependencyInputs: deps
      ? dependencyInputs(
          project.root,
          deps,
          findPipSources(project.root, deps, project.package.installArgs),
        )
      : [],
    onChange: (kind, paths) => reload(ctx, { emulator, zip, listeners }, kind, paths),
  });
  ctx.teardown.defer(async () => watcher.close());
}

async function reload(
  ctx: StackContext,
  target: { emulator: Pick<Emulator, 'reloadCode'>; zip: string; listeners: ReloadListener[] },
  kind: ChangeKind,
  paths: string[],
): Promise<void> {
  const { reporter } = ctx;
  const started = performance.now();
  try {
    // No audit on reloads: it ran at start, and a reload must stay well under a second.
    await packageProject(ctx.project, {
      docker: ctx.docker,
      imageSource: ctx.source,
      reporter: kind === 'dependencies' ? reporter : silentReporter,
      out: target.zip,
      noAudit: true,
    });
    await target.emulator.reloadCode();
    const ms = performance.now() - started;
    reporter.info(
      `↻ ${kind === 'dependencies' ? 'dependencies rebuilt' : 'code reloaded'} (${paths.slice(0, 3).join(', ')}) in ${formatMs(ms)}`,
    );
    for (const listener of target.listeners) listener({ kind, ms });
  } catch (error) {
    reporter.warn(`reload failed: ${(error as Error).message}`);
  }
}
