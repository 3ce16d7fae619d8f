/**
 * Every runtime with an offline stand-in, as a user runs it: `lbuild invoke` packages a handler with
 * a native module (a C extension, a node-gyp addon) in the runtime's build container and runs the
 * zip in a container worker of its run image; the same zip, unpacked, runs in a host-process
 * worker. The Python extension is built against the stable ABI (abi3, Python 3.11+), as many real
 * wheels are, so the host's older Python can load what python3.14 built.
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/config/load.js';
import { startEmulator } from '../../../src/emulator/index.js';
import { standInRuntimes } from '../../../src/runtimes/images.js';
import type { RuntimeInfo } from '../../../src/runtimes/catalog.js';
import { lbuildContainers } from '../../support/docker.js';
import { dockerGate, requireDocker } from '../../support/gates.js';
import { copyFixture } from '../../support/fixtures.js';

const gate = await dockerGate();

const cli = fileURLToPath(new URL('../../../bin/lbuild.js', import.meta.url));
const env = { LBUILD_IMAGE_SOURCE: 'offline' };

const abi3Setup = `from setuptools import Extension, setup

setup(
    name="fastmath",
    version="1.0.0",
    ext_modules=[Extension("fastmath", sources=["fastmath.c"], py_limited_api=True, define_macros=[("Py_LIMITED_API", "0x030B0000")])],
)
`;

function projectFor(runtime: RuntimeInfo): string {
  const dir = copyFixture(runtime.language === 'python' ? 'python-native' : 'node-native');
  const config = JSON.parse(readFileSync(join(dir, 'lbuild.json'), 'utf8'));
  writeFileSync(
    join(dir, 'lbuild.json'),
    JSON.stringify({
      ...config,
      runtime: runtime.name,
      ...(runtime.status === 'preview' ? { allowPreviewRuntimes: true } : {}),
    }),
  );
  if (runtime.language === 'python')
    writeFileSync(join(dir, 'vendor', 'fastmath', 'setup.py'), abi3Setup);
  return dir;
}

async function hostPythonLoads(suffix: string): Promise<boolean> {
  const { stdout } = await execa('python3', [
    '-c',
    'import importlib.machinery as m; print("\\n".join(m.EXTENSION_SUFFIXES))',
  ]);
  return stdout.split('\n').includes(suffix);
}

/** What the handler reports about the language that ran it. */
function languageVersion(runtime: RuntimeInfo, result: Record<string, unknown>): string {
  return String(runtime.language === 'python' ? result.python : result.node);
}

describe.skipIf(gate.skipReason)(
  'every stand-in runtime: package a native module, invoke it in a container and a host process',
  () => {
    for (const runtime of standInRuntimes()) {
      it(`${runtime.name} (${runtime.standIn!.debian})`, async () => {
        const docker = await requireDocker();
        const dir = projectFor(runtime);
        const invoked = await execa(
          'node',
          [cli, 'invoke', '--dir', dir, '--payload', '{"a": 40, "b": 2}', '--json'],
          { env, reject: false },
        );
        expect(invoked.exitCode, invoked.stderr).toBe(0);
        const out = JSON.parse(invoked.stdout);
        expect(out).toMatchObject({ status: 'succeeded', via: 'container', result: { sum: 42 } });
        // The container worker ran the runtime's own language version.
        expect(languageVersion(runtime, out.result)).toMatch(
          new RegExp(`^${runtime.version.replace('.', '\\.')}\\.`),
        );
        // Python 3.15 names stable-ABI extensions with the platform (fastmath.abi3-x86_64-linux-gnu.so).
        if (runtime.language === 'python')
          expect(out.result.extension).toMatch(
            /^\/var\/task\/fastmath\.abi3(-x86_64-linux-gnu)?\.so$/,
          );
        const lifecycleWarnings = out.warnings.filter((w: string) => w.startsWith(runtime.name));
        if (runtime.status === 'current') expect(lifecycleWarnings).toEqual([]);
        if (runtime.status === 'deprecated')
          expect(lifecycleWarnings).toEqual([
            expect.stringContaining(`${runtime.name} is deprecated since`),
          ]);
        if (runtime.status === 'preview')
          expect(lifecycleWarnings).toEqual([
            expect.stringContaining(`${runtime.name} is a preview runtime`),
          ]);
        expect(await lbuildContainers(docker)).toEqual([]);

        // The same zip in a host-process worker (the host's interpreter, lbuild's bootstrap).
        const project = loadProject(dir);
        const code = mkdtempSync(join(tmpdir(), `lbuild-matrix-${runtime.name}-`));
        await execa('unzip', [
          '-q',
          join(dir, '.lbuild', 'invoke', `${project.name}.zip`),
          '-d',
          code,
        ]);
        const emulator = await startEmulator({
          functions: project.functions,
          codeDir: code,
          workerKind: 'process',
        });
        try {
          const outcome = await emulator.invoker.invoke({
            functionName: project.functions[0]!.name,
            payload: Buffer.from('{"a": 1, "b": 2}'),
          });
          if (
            out.result.extension?.endsWith('.abi3-x86_64-linux-gnu.so') &&
            !(await hostPythonLoads('.abi3-x86_64-linux-gnu.so'))
          ) {
            // A host process runs the host's Python, which may predate the runtime's file names:
            // exactly the gap container workers close. It fails the way Lambda would report it.
            expect(outcome.kind === 'function-error' && outcome.errorType).toBe(
              'Runtime.ImportModuleError',
            );
          } else {
            expect(outcome.kind, outcome.logs.join('\n')).toBe('succeeded');
            if (outcome.kind === 'succeeded')
              expect(JSON.parse(outcome.body.toString())).toMatchObject({ sum: 3 });
          }
        } finally {
          await emulator.close();
        }
      });
    }
  },
);
