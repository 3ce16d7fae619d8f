/**
 * What goes into a function's container image besides the code: which process starts the runtime
 * and what the Dockerfile says. Pure, so the choice can be tested without an engine.
 *
 * AWS's Lambda base images start their own runtime interface client through
 * /lambda-entrypoint.sh; the image keeps that ENTRYPOINT and only sets CMD to the handler, exactly
 * as AWS documents for custom images. Any other base (the offline Debian stand-ins, a user's own
 * image) has no runtime client, so lbuild's bootstrap goes to /var/runtime and becomes the
 * ENTRYPOINT: the image then runs on Lambda and in lbuild's emulator alike. The same rule as the
 * emulator's container workers (src/emulator/workers/container/container-worker-factory.ts), including wsgi:/asgi:
 * handlers, which only lbuild's bootstrap understands.
 */
import type { Language } from '../../runtimes/catalog.js';

export interface ImagePlanInput {
  baseImage: string;
  /** The base image's own ENTRYPOINT (from docker inspect). */
  baseEntrypoint: string[];
  language: Language;
  handler: string;
}

export interface ImagePlan {
  /** Where lbuild's bootstrap goes, when the base has no usable runtime client. */
  bootstrapDir: string | undefined;
  /** The ENTRYPOINT the image ends up with (inherited or lbuild's). */
  entrypoint: string[];
  cmd: string[];
  dockerfile: string;
}

export function hasAwsRuntime(entrypoint: string[]): boolean {
  return entrypoint.some((part) => part.includes('lambda-entrypoint'));
}

export function planFunctionImage(input: ImagePlanInput): ImagePlan {
  const aws = hasAwsRuntime(input.baseEntrypoint);
  const python = input.language === 'python';
  const ownBootstrap = !aws || (python && /^(wsgi|asgi):/.test(input.handler));
  const bootstrapDir = ownBootstrap ? (aws ? '/var/lbuild-runtime' : '/var/runtime') : undefined;
  const entrypoint = !bootstrapDir
    ? input.baseEntrypoint
    : python
      ? ['python3', '-B', `${bootstrapDir}/bootstrap.py`]
      : ['node', `${bootstrapDir}/bootstrap.mjs`];
  const cmd = [input.handler];
  const lines = [
    `FROM ${input.baseImage}`,
    // One COPY: the context mirrors the image's paths (var/task/..., var/runtime/...).
    'COPY var/ /var/',
    'WORKDIR /var/task',
    'ENV LAMBDA_TASK_ROOT=/var/task LAMBDA_RUNTIME_DIR=/var/runtime',
    ...(bootstrapDir ? [`ENTRYPOINT ${JSON.stringify(entrypoint)}`] : []),
    `CMD ${JSON.stringify(cmd)}`,
  ];
  return { bootstrapDir, entrypoint, cmd, dockerfile: `${lines.join('\n')}\n` };
}
