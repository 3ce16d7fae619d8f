/**
 * `lbuild invoke`: run one function once, like `zappa invoke` — migrations, seeding, one-off jobs.
 * With a stack from `lbuild serve` running, the invocation goes to its Invoke API (same network, same
 * DATABASE_URL); otherwise the project is packaged (cache permitting) and run in a fresh container.
 */
import type Docker from 'dockerode';
import { request } from 'undici';
import type { ResolvedProject } from './config/load.js';
import { findFunction } from './config/find-function.js';
import { connectEngine } from './docker/engine.js';
import { startEmulator } from './emulator/index.js';
import type { InvocationOutcome } from './emulator/types.js';
import { UserError } from './errors.js';
import { silentReporter, type Reporter } from './log.js';
import { packageProject } from './package/package-project.js';
import { isAlive, readState } from './serve/state-file.js';
import { join } from 'node:path';

export interface InvokeOptions {
  functionName?: string;
  payload: Buffer;
  handler?: string;
  reporter?: Reporter;
  docker?: Docker;
  /** Ignore a running stack and use a fresh container. */
  fresh?: boolean;
}

export interface InvokeResult {
  functionName: string;
  requestId: string;
  status: 'succeeded' | 'function-error';
  errorType?: string;
  result: unknown;
  logs: string[];
  via: 'stack' | 'container';
}

function pickFunction(project: ResolvedProject, name: string | undefined) {
  if (!name) {
    if (project.functions.length === 1) return project.functions[0]!;
    throw new UserError(
      `${project.name} has ${project.functions.length} functions: say which to invoke`,
      {
        hint: `lbuild invoke <function>, one of: ${project.functions.map((f) => f.name).join(', ')}.`,
      },
    );
  }
  return findFunction(project, name, 'any module.func in the package, with --handler');
}

function parseBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function invokeFunction(
  project: ResolvedProject,
  options: InvokeOptions,
): Promise<InvokeResult> {
  const fn = pickFunction(project, options.functionName);
  const state = readState(project.root);
  if (!options.fresh && !options.handler && state?.ready && isAlive(state.pid)) {
    const response = await request(
      `${state.invokeUrl}/2015-03-31/functions/${encodeURIComponent(fn.name)}/invocations`,
      {
        method: 'POST',
        body: options.payload,
        headers: { 'x-amz-log-type': 'Tail', 'content-type': 'application/json' },
      },
    );
    const body = Buffer.from(await response.body.arrayBuffer());
    const functionError = response.headers['x-amz-function-error'];
    const logResult = response.headers['x-amz-log-result'];
    if (response.statusCode >= 300)
      throw new UserError(
        `the running stack refused the invocation (${response.statusCode}): ${body.toString()}`,
        { hint: 'Check the function name; `lbuild down` and `lbuild serve` restart the stack.' },
      );
    const result = parseBody(body);
    return {
      functionName: fn.name,
      requestId: String(response.headers['x-amzn-requestid'] ?? ''),
      status: functionError ? 'function-error' : 'succeeded',
      ...(functionError
        ? { errorType: String((result as { errorType?: string })?.errorType ?? functionError) }
        : {}),
      result,
      logs:
        typeof logResult === 'string'
          ? Buffer.from(logResult, 'base64').toString('utf8').split('\n').filter(Boolean)
          : [],
      via: 'stack',
    };
  }

  const reporter = options.reporter ?? silentReporter;
  const docker = options.docker ?? (await connectEngine()).docker;
  const report = await packageProject(project, {
    docker,
    reporter,
    out: join(project.root, '.lbuild', 'invoke', `${project.name}.zip`),
  });
  const done = reporter.stage(
    'invoke',
    `${fn.name}${options.handler ? ` (${options.handler})` : ''}`,
  );
  const emulator = await startEmulator({
    functions: [fn],
    codeDir: project.root,
    codeZip: report.zip,
    workerKind: 'container',
    docker,
  });
  try {
    const outcome = await emulator.invoker.invoke({
      functionName: fn.name,
      payload: options.payload,
      ...(options.handler ? { handlerOverride: options.handler } : {}),
    });
    done();
    return fromOutcome(fn.name, outcome);
  } finally {
    await emulator.close();
  }
}

function fromOutcome(functionName: string, outcome: InvocationOutcome): InvokeResult {
  const base = {
    functionName,
    requestId: outcome.requestId,
    logs: outcome.logs,
    via: 'container' as const,
  };
  switch (outcome.kind) {
    case 'succeeded':
      return { ...base, status: 'succeeded', result: parseBody(outcome.body) };
    case 'function-error':
      return {
        ...base,
        status: 'function-error',
        errorType: outcome.errorType,
        result: parseBody(outcome.body),
      };
    case 'timed-out':
      return {
        ...base,
        status: 'function-error',
        errorType: 'Sandbox.Timedout',
        result: {
          errorType: 'Sandbox.Timedout',
          errorMessage: `Task timed out after ${outcome.timeoutSeconds.toFixed(2)} seconds`,
        },
      };
    case 'out-of-memory':
      return {
        ...base,
        status: 'function-error',
        errorType: 'Runtime.OutOfMemory',
        result: {
          errorType: 'Runtime.OutOfMemory',
          errorMessage: 'Runtime exited with error: signal: killed',
        },
      };
    case 'worker-exited':
      return {
        ...base,
        status: 'function-error',
        errorType: 'Runtime.ExitError',
        result: {
          errorType: 'Runtime.ExitError',
          errorMessage: `Runtime exited with error: exit status ${outcome.exitCode}`,
        },
      };
    case 'response-too-large':
      return {
        ...base,
        status: 'function-error',
        errorType: 'Function.ResponseSizeTooLarge',
        result: {
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size (${outcome.bytes} bytes) exceeded maximum allowed payload size (6291556 bytes).`,
        },
      };
    case 'throttled':
    case 'unknown-function':
      throw new UserError(`the invocation was not run (${outcome.kind})`, {
        hint: 'Try again; check the function name.',
      });
  }
}
