/** Shared test helpers: function definitions and an emulator started on the fixtures. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ResolvedFunction } from '../../../src/config/load.js';
import type { EndpointInvocation } from '../../../src/emulator/runtime-api/worker-endpoint.js';
import type { InvocationOutcome } from '../../../src/emulator/types.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';

export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const pythonFixtures = `${fixturesDir}python`;
export const nodeFixtures = `${fixturesDir}node`;

export function fnDef(
  name: string,
  handler: string,
  overrides: Partial<ResolvedFunction> & { runtimeName?: string } = {},
): ResolvedFunction {
  const { runtimeName, ...rest } = overrides;
  return {
    name,
    kind: 'event',
    handler,
    web: undefined,
    runtime: findRuntime(runtimeName ?? 'python3.11'),
    architecture: 'x86_64',
    memorySize: 128,
    timeout: 3,
    ephemeralStorage: 512,
    environment: {},
    routes: [],
    payloadVersion: '2.0',
    concurrency: 2,
    ...rest,
  };
}

export function json(body: Buffer | Uint8Array | undefined): any {
  return JSON.parse(Buffer.from(body ?? []).toString('utf8'));
}

/** Write a zip with Python's zipfile: a file per entry, deflated or stored, with Unix modes. */
export function writeZip(
  file: string,
  entries: Array<{ name: string; text: string; mode?: number; stored?: boolean }>,
): void {
  const script = `
import json, sys, zipfile
entries = json.loads(sys.argv[2])
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for e in entries:
        info = zipfile.ZipInfo(e["name"], (2020, 1, 1, 0, 0, 0))
        info.create_system = 3
        info.external_attr = (0o100000 | e.get("mode", 0o644)) << 16
        info.compress_type = zipfile.ZIP_STORED if e.get("stored") else zipfile.ZIP_DEFLATED
        z.writestr(info, e["text"])
`;
  execFileSync('python3', ['-c', script, file, JSON.stringify(entries)]);
}

/** Init Duration of an outcome (undefined when warm, throttled or unknown). */
export function initMs(outcome: InvocationOutcome): number | undefined {
  return 'initDurationMs' in outcome ? outcome.initDurationMs : undefined;
}

/** REPORT's "Max Memory Used" of an invocation, in MB (NaN when the line has none). */
export function maxMemoryUsedMb(outcome: InvocationOutcome): number {
  return Number(/Max Memory Used: (\d+) MB/.exec(outcome.logs.at(-1) ?? '')?.[1]);
}

/** An invocation as the worker hands it to its Runtime API endpoint. */
export function endpointInvocation(
  requestId: string,
  extra: Partial<EndpointInvocation> = {},
): EndpointInvocation {
  return {
    requestId,
    payload: Buffer.from('{"n":1}'),
    timeoutMs: 3000,
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    traceId: 'Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0',
    ...extra,
  };
}
