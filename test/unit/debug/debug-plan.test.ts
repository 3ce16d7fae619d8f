import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { debugRequest, debugSummary } from '../../../src/cli/debug-flags.js';
import { loadProject } from '../../../src/config/load.js';
import { planDebug } from '../../../src/debug/debug-plan.js';
import { launchConfigurations, writeLaunchJson } from '../../../src/debug/launch-config.js';
import { debugLaunch } from '../../../src/emulator/workers/container/debug-launch.js';

function project(runtime: string, functions: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-debug-plan-'));
  writeFileSync(join(dir, 'lbuild.json'), JSON.stringify({ name: 'p', runtime, functions }));
  return loadProject(dir);
}

const two = { a: { handler: 'app.a', timeout: 3 }, b: { handler: 'app.b', concurrency: 8 } };

describe('planDebug', () => {
  it('gives each function the next port from the language default, concurrency 1', () => {
    const { functions, targets } = planDebug(project('python3.11', two).functions, {
      functions: true,
    });
    expect(targets.map((t) => [t.functionName, t.port, t.protocol])).toEqual([
      ['a', 5678, 'debugpy'],
      ['b', 5679, 'debugpy'],
    ]);
    expect(functions.map((f) => f.concurrency)).toEqual([1, 1]);
    expect(functions[0]!.debug).toEqual({ port: 5678, wait: false, protocol: 'debugpy' });
  });

  it('counts from --debug-port, and leaves the functions not named alone', () => {
    const { functions, targets } = planDebug(project('nodejs22.x', two).functions, {
      functions: ['b'],
      port: 9240,
      wait: true,
    });
    expect(targets).toEqual([
      expect.objectContaining({ functionName: 'b', port: 9240, wait: true }),
    ]);
    expect(functions.find((f) => f.name === 'a')).not.toHaveProperty('debug');
    expect(functions.find((f) => f.name === 'a')!.concurrency).toBe(4);
  });

  it('refuses a name that is not a function, saying which are', () => {
    expect(() => planDebug(project('nodejs22.x', two).functions, { functions: ['nope'] })).toThrow(
      /"nope", which is not a function/,
    );
  });
});

describe('launch configurations', () => {
  const targets = planDebug(project('python3.11', two).functions, {
    functions: ['a'],
    port: 9245,
  }).targets;

  it('prints launch.json that parses as JSON and names the published port', () => {
    const configs = launchConfigurations(targets, '/src/app');
    const printed = debugSummary(['note'], configs, undefined);
    const json = printed.slice(printed.findIndex((l) => l.trim() === '{')).join('\n');
    const parsed = JSON.parse(json) as { version: string; configurations: unknown[] };
    expect(parsed.version).toBe('0.2.0');
    expect(parsed.configurations).toEqual([
      expect.objectContaining({
        type: 'debugpy',
        connect: { host: '127.0.0.1', port: 9245 },
        pathMappings: [{ localRoot: '/src/app', remoteRoot: '/var/task' }],
      }),
    ]);
  });

  it('writes into an existing launch.json, keeping its other configurations', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lbuild-launch-')), '.vscode', 'launch.json');
    const configs = launchConfigurations(targets, '/src/app');
    await writeLaunchJson(file, [{ name: 'mine', type: 'node' }]);
    await writeLaunchJson(file, configs);
    await writeLaunchJson(file, configs);
    const written = JSON.parse(readFileSync(file, 'utf8')) as {
      configurations: Array<{ name: string }>;
    };
    expect(written.configurations.map((c) => c.name)).toEqual([
      'mine',
      'lbuild: attach to a (debugpy)',
    ]);
  });
});

describe('debugLaunch', () => {
  const base = { id: 'x', entrypoint: ['/lambda-entrypoint.sh'], hasAwsRuntime: false };

  it("starts lbuild's Node bootstrap under --inspect-brk when asked to wait", () => {
    const launch = debugLaunch({
      debug: { port: 9230, wait: true, protocol: 'inspector' },
      language: 'nodejs',
      bootstrapDir: '/var/runtime',
      base,
      env: {},
      layerDir: undefined,
    });
    expect(launch.entrypoint).toEqual([
      'node',
      '--inspect-brk=0.0.0.0:9230',
      '/var/runtime/bootstrap.mjs',
    ]);
    expect(launch.publish).toEqual([{ container: 9230, host: 9230 }]);
  });

  it("passes --inspect through NODE_OPTIONS to an AWS image's own client", () => {
    const launch = debugLaunch({
      debug: { port: 9229, wait: false, protocol: 'inspector' },
      language: 'nodejs',
      bootstrapDir: undefined,
      base: { ...base, hasAwsRuntime: true },
      env: { NODE_OPTIONS: '--enable-source-maps' },
      layerDir: undefined,
    });
    expect(launch.entrypoint).toEqual(['/lambda-entrypoint.sh']);
    expect(launch.env.NODE_OPTIONS).toBe('--enable-source-maps --inspect=0.0.0.0:9229');
  });

  it('runs the Python bootstrap under debugpy from the read-only layer, appended to PYTHONPATH', () => {
    const launch = debugLaunch({
      debug: { port: 5678, wait: true, protocol: 'debugpy' },
      language: 'python',
      bootstrapDir: '/var/runtime',
      base,
      env: { PYTHONPATH: '/var/runtime' },
      layerDir: '/cache/layer',
    });
    expect(launch.entrypoint).toEqual([
      'python3',
      '-B',
      '-X',
      'frozen_modules=off',
      '-m',
      'debugpy',
      '--listen',
      '0.0.0.0:5678',
      '--wait-for-client',
      '/var/runtime/bootstrap.py',
    ]);
    expect(launch.env.PYTHONPATH).toBe('/var/runtime:/opt/lbuild-debug/python');
    expect(launch.binds).toEqual(['/cache/layer:/opt/lbuild-debug:ro']);
  });
});

describe('debugRequest (CLI flags)', () => {
  it('reads --debug alone as every function, --debug=a,b as those', () => {
    expect(debugRequest({ debug: true })).toEqual({ functions: true, wait: false });
    expect(debugRequest({ debug: 'a, b', debugPort: '9300', debugWait: true })).toEqual({
      functions: ['a', 'b'],
      port: 9300,
      wait: true,
    });
    expect(debugRequest({})).toBeUndefined();
    expect(() => debugRequest({ debugWait: true })).toThrow(/need --debug/);
  });
});
