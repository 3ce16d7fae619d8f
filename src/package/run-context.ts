/**
 * The context of one `lbuild package` run, apart from what it builds (see prepare.ts): where
 * progress and warnings go, the stage timings, the image source and the Docker engine. Every stage
 * takes it, and the report reads the warnings and timings back from it.
 */
import type Docker from 'dockerode';
import type { ResolvedProject } from '../config/load.js';
import { connectEngine } from '../docker/engine.js';
import { silentReporter, type Reporter } from '../log.js';
import { imageSourceFromEnv, type ImageSource } from '../runtimes/images.js';
import type { BuildOptions } from './options.js';

export interface PackageRun {
  options: BuildOptions;
  reporter: Reporter;
  imageSource: ImageSource;
  /** performance.now() when the run began: the report's durationMs counts from here. */
  started: number;
  warnings: string[];
  /** Report a warning now and keep it for the report. */
  warn: (message: string) => void;
  /** Milliseconds per stage, in the order the stages ran. */
  stages: Record<string, number>;
  /** The engine from the options, else one connected on first use (a build without Docker work needs none). */
  docker: () => Promise<Docker>;
}

export function startRun(project: ResolvedProject, options: BuildOptions): PackageRun {
  const started = performance.now();
  const reporter = options.reporter ?? silentReporter;
  // The project's own warnings (a deprecated or preview runtime) belong in every report; the CLI
  // has printed them already.
  const warnings: string[] = [...project.warnings];
  let engine: Promise<Docker> | undefined;
  return {
    options,
    reporter,
    imageSource: options.imageSource ?? imageSourceFromEnv(),
    started,
    warnings,
    warn: (message) => {
      warnings.push(message);
      reporter.warn(message);
    },
    stages: {},
    docker: () => {
      if (options.docker) return Promise.resolve(options.docker);
      engine ??= connectEngine().then(({ docker }) => docker);
      return engine;
    },
  };
}
