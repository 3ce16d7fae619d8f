/**
 * Hot reload: chokidar watches the project. A source change repackages (a cache hit: no container,
 * tens of milliseconds) and recycles the warm workers; a dependency-file change does the same, but
 * the package step reinstalls in the build container first. Frontend files need nothing: the static
 * host reads them fresh on every request.
 */
import { watch, type FSWatcher } from 'chokidar';
import { relative, sep } from 'node:path';
import type { SourceFilter } from '../package/ignore-rules.js';

export type ChangeKind = 'code' | 'dependencies';

export interface WatchOptions {
  root: string;
  filter: SourceFilter;
  /** Relative paths whose change means reinstalling dependencies. */
  dependencyInputs: string[];
  /** Wait this long after the last event so an editor's save burst triggers one reload. */
  debounceMs?: number;
  onChange: (kind: ChangeKind, paths: string[]) => Promise<void>;
}

export function watchProject(options: WatchOptions): FSWatcher {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const isDependency = (path: string) =>
    options.dependencyInputs.some((input) => path === input || path.startsWith(`${input}/`));

  const flush = () => {
    const paths = [...pending];
    pending.clear();
    const kind: ChangeKind = paths.some(isDependency) ? 'dependencies' : 'code';
    // Reloads run one after another: a second save during a reload queues one more reload.
    running = running.then(() => options.onChange(kind, paths)).catch(() => {});
  };

  const watcher = watch(options.root, {
    ignoreInitial: true,
    ignored: (path: string) => {
      const rel = relative(options.root, path).split(sep).join('/');
      if (!rel || rel.startsWith('..')) return false;
      // Keep dependency inputs and the folders that lead to them, even when the zip excludes them.
      if (
        isDependency(rel) ||
        options.dependencyInputs.some((input) => input.startsWith(`${rel}/`))
      )
        return false;
      return options.filter.excludes(rel) || options.filter.excludes(`${rel}/`);
    },
    awaitWriteFinish: false,
  });
  const onEvent = (path: string) => {
    pending.add(relative(options.root, path).split(sep).join('/'));
    clearTimeout(timer);
    timer = setTimeout(flush, options.debounceMs ?? 50);
  };
  watcher.on('add', onEvent).on('change', onEvent).on('unlink', onEvent);
  return watcher;
}
