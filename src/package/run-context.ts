/**
 * The context of one `lbuild package` run, apart from what it builds (see prepare.ts): where
 * progress and warnings go, the stage clock (timings.ts), the image source and the Docker engine.
 * Every stage takes it, and the report reads the warnings and timings back from it.
 */
import type Docker from 'dockerode';
import type { ResolvedProject } from '../config/load.js';
import { connectEngine } from '../docker/engine.js';
import { silentReporter, type Reporter } from '../log.js';
import { imageSourceFromEnv, type ImageSource } from '../runtimes/images.js';
import type { BuildOptions } from './options.js';
import { StageClock } from './timings.js';

export interface PackageRun {
  options: BuildOptions;
  reporter: Reporter;
  imageSource: ImageSource;
  warnings: string[];
  /** Report a warning now and keep it for the report. */
  warn: (message: string) => void;
  /** Times every stage; the report's `stages`, `timings` and durationMs come from it. */
  clock: StageClock;
  /** A stage the user sees (a progress line) and the clock times; call the result when it ends. */
  stage: (name: string, detail?: string) => () => number;
  /** The engine from the options, else one connected on first use (a build without Docker work needs none). */
  docker: () => Promise<Docker>;
}

export function startRun(project: ResolvedProject, options: BuildOptions): PackageRun {
  const clock = new StageClock();
  const reporter = options.reporter ?? silentReporter;
  // The project's own warnings (a deprecated or preview runtime) belong in every report; the CLI
  // has printed them already.
  const warnings: string[] = [...project.warnings];
  let engine: Promise<Docker> | undefined;
  return {
    options,
    reporter,
    imageSource: options.imageSource ?? imageSourceFromEnv(),
    warnings,
    warn: (message) => {
      warnings.push(message);
      reporter.warn(message);
    },
    clock,
    stage: (name, detail) => {
      const shown = reporter.stage(name, detail);
      const stop = clock.start(name);
      return () => {
        shown();
        return stop();
      };
    },
    docker: () => {
      if (options.docker) return Promise.resolve(options.docker);
      engine ??= connectEngine().then(({ docker }) => docker);
      return engine;
    },
  };
}
