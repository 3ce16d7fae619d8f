/**
 * `lbuild manage <command>`: a Django management command in a function's environment, like
 * `zappa manage`. The project is packaged (cache permitting) and the command runs in a container
 * of the function's run image holding exactly the zip's files in a read-only /var/task, with the
 * function's environment, memory and /tmp: what the code would see on Lambda. With a stack
 * running it joins the stack's network with its workers' environment, so it reaches its Postgres.
 */
import type Docker from 'dockerode';
import { join } from 'node:path';
import type { ResolvedFunction, ResolvedProject } from '../config/load.js';
import {
  manageTimeout,
  maximumTimeoutSeconds,
  nearTimeoutWarning,
  timedOutMessage,
} from '../config/timeout-advice.js';
import { onCleanup, onInterrupt } from '../docker/cleanup.js';
import { containerName } from '../docker/container-name.js';
import { connectEngine } from '../docker/engine.js';
import { functionLabel } from '../docker/labels.js';
import { codeFiles, tarOf } from '../emulator/workers/container/code-archive.js';
import { CodeImages } from '../emulator/workers/container/code-image.js';
import { sandboxCreateOptions } from '../emulator/workers/container/sandbox-spec.js';
import { emulatorRegion, lambdaEnvironment } from '../emulator/workers/core/environment.js';
import { CancelledError, TimedOutError, UserError } from '../errors.js';
import { silentReporter } from '../log.js';
import { packageProject } from '../package/package-project.js';
import { dockerPlatform } from '../runtimes/catalog.js';
import { baseImageFor } from '../runtimes/images.js';
import { runCommandContainer } from './command-container.js';
import { manageEntry, managePy } from './manage-entry.js';
import { managePlace } from './manage-place.js';
import type { ManageOptions, ManageResult } from './manage-types.js';
import { pickManageFunction } from './pick-manage-function.js';

export async function runManage(
  project: ResolvedProject,
  options: ManageOptions,
): Promise<ManageResult> {
  if (options.command.length === 0 || !options.command[0])
    throw new UserError('no management command given', { hint: 'e.g. lbuild manage migrate' });
  const fn = pickManageFunction(project, options.functionName);
  const timeout = manageTimeout(timeoutSeconds(project, options.timeoutSeconds));
  const place = managePlace(project, fn, options.fresh ?? false);
  const reporter = options.reporter ?? silentReporter;
  const docker = options.docker ?? (await connectEngine()).docker;
  const report = await packageProject(project, {
    docker,
    reporter,
    imageSource: place.imageSource,
    out: join(project.root, '.lbuild', 'manage', `${project.name}.zip`),
  });
  const files = await codeFiles({ zip: report.zip });
  const entry = manageEntry(
    fn.name,
    place.environment,
    files.some((f) => f.name === managePy),
    options.command,
  );
  const images = new CodeImages(docker, () => containerName([project.name, 'manage-code']));
  const unregister = onCleanup(() => images.removeAll());
  // Ctrl-C removes the container, which then looks like a command killed with status 137.
  let interrupted = false;
  const stopListening = onInterrupt(() => (interrupted = true));
  try {
    const runImage = baseImageFor(fn.runtime, 'run', fn.architecture, place.imageSource);
    const image = await images.ensure(runImage, await tarOf([{ prefix: 'var/task/', files }]), {
      [functionLabel]: fn.name,
    });
    const done = reporter.stage(
      'manage',
      `${options.command[0]} (function ${fn.name}, ${place.via === 'stack' ? `the running stack's ${place.network ?? 'network'}` : 'a fresh container'})`,
    );
    const end = await runCommandContainer(
      docker,
      createOptions(
        project,
        { ...fn, environment: place.environment },
        image,
        entry.argv,
        place.network,
      ),
      { timeoutMs: timeout.seconds * 1000, onOutput: options.onOutput ?? (() => {}) },
    );
    if (interrupted)
      throw new CancelledError(`lbuild manage ${options.command[0]} was interrupted`, {
        hint: 'Its container was stopped and removed; what it had done stays done.',
      });
    if (end.kind === 'timed-out')
      throw new TimedOutError(timedOutMessage(`lbuild manage ${options.command[0]}`, timeout), {
        hint: 'The container was stopped; its output so far is above.',
        details: { seconds: timeout.seconds, key: timeout.key },
      });
    if (end.oomKilled)
      throw new UserError(
        `lbuild manage ${options.command[0]} ran out of memory (functions.${fn.name}.memorySize, ${fn.memorySize} MB)`,
        {
          hint: `Raise functions.${fn.name}.memorySize in lbuild.json, or pick another function with --function.`,
        },
      );
    // A failed command says so itself (and the CLI with its status): no ✓ line for it.
    if (end.exitCode === 0) done();
    const warning = nearTimeoutWarning(
      `lbuild manage ${options.command[0]}`,
      end.durationMs,
      timeout,
    );
    if (warning) reporter.warn(warning);
    return {
      functionName: fn.name,
      command: options.command,
      argv: entry.argv,
      settingsModule: entry.settingsModule,
      via: place.via,
      network: place.network,
      exitCode: end.exitCode,
      durationMs: Math.round(end.durationMs),
      timeoutSeconds: timeout.seconds,
    };
  } finally {
    stopListening();
    unregister();
    await images.removeAll();
  }
}

/** --timeout, else django.manageTimeout (its default included). */
function timeoutSeconds(project: ResolvedProject, flag: number | undefined): number {
  if (flag === undefined) return project.django.manageTimeoutSeconds;
  if (!Number.isFinite(flag) || flag < 1 || flag > maximumTimeoutSeconds)
    throw new UserError(
      `--timeout ${flag} is not a number of seconds from 1 to ${maximumTimeoutSeconds}`,
      {
        hint: 'e.g. --timeout 300; django.manageTimeout in lbuild.json sets it for every run.',
      },
    );
  return flag;
}

/** The function's sandbox (sandbox-spec.ts) running the command instead of a runtime client. */
function createOptions(
  project: ResolvedProject,
  fn: ResolvedFunction,
  image: string,
  argv: string[],
  network: string | undefined,
): Docker.ContainerCreateOptions {
  return sandboxCreateOptions('manage', {
    name: containerName([project.name, 'manage', fn.name]),
    image,
    entrypoint: argv.slice(0, 1),
    cmd: argv.slice(1),
    env: lambdaEnvironment({
      fn,
      handler: fn.handler,
      taskRoot: '/var/task',
      runtimeDir: '/var/runtime',
      region: emulatorRegion(),
      placement: 'container',
    }),
    memorySizeMb: fn.memorySize,
    ephemeralStorageMb: fn.ephemeralStorage,
    labels: { [functionLabel]: fn.name },
    ...(network ? { network } : {}),
    ...(fn.architecture === 'arm64' ? { platform: dockerPlatform(fn.architecture) } : {}),
  });
}
