/**
 * `lbuild doctor` on this machine, as a user reads it: each check with a verdict, the engine found,
 * and how container workers will reach their Runtime API; a missing engine is exit 2 with the fix.
 */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bridgeGateway } from '../../src/emulator/workers/container/bridge-address.js';
import { runtimes } from '../../src/runtimes/catalog.js';
import { dockerGate, requireDocker } from '../support/gates.js';

const gate = await dockerGate();

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));

describe.skipIf(gate.skipReason)('lbuild doctor', () => {
  it("reports the engine and the workers' way to the Runtime API, as JSON", async () => {
    const docker = await requireDocker();
    const result = await execa('node', [cli, 'doctor', '--json'], { reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      checks: Array<{ name: string; ok: boolean; detail: string }>;
    };
    const check = (name: string) => report.checks.find((c) => c.name === name);
    expect(check('docker engine')).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/API 1\.\d+/),
    });
    const gateway = await bridgeGateway(docker);
    // This machine's engine shares its kernel: workers use the bridge and a mounted socket.
    expect(check('worker network')).toMatchObject({
      ok: true,
      detail: expect.stringContaining(`${gateway} (the bridge)`),
    });
    expect(check('worker network')?.detail).toContain('Unix socket');
  });

  it('lists every runtime with its status, and the offline stand-ins present', async () => {
    const result = await execa('node', [cli, 'doctor', '--json'], {
      reject: false,
      env: { LBUILD_IMAGE_SOURCE: 'offline' },
    });
    const report = JSON.parse(result.stdout) as {
      checks: Array<{ name: string; ok: boolean; detail: string }>;
      runtimes: Array<{ name: string; status: string; standIn: string | null }>;
    };
    expect(report.runtimes.map((r) => `${r.name} ${r.status}`)).toEqual(
      runtimes.map((r) => `${r.name} ${r.status}`),
    );
    expect(report.runtimes.find((r) => r.name === 'nodejs24.x')).toMatchObject({
      status: 'current',
      standIn: 'Debian forky (glibc 2.43)',
    });
    // CI builds every stand-in before the tests.
    expect(report.checks.find((c) => c.name === 'images')).toMatchObject({
      ok: true,
      detail: expect.stringContaining('nodejs22.x'),
    });
    const text = await execa('node', [cli, 'doctor'], { reject: false });
    expect(text.stderr).toMatch(
      /^ {2}nodejs18\.x +deprecated 2025-09-01, create blocked 2027-02-01 +Amazon Linux 2, glibc 2\.26 +stand-in Debian bookworm/m,
    );
    expect(text.stderr).toMatch(/^ {2}python3\.15 +preview \(--allow-preview\)/m);
  });

  it('with no engine it exits 2 and says how to start one', async () => {
    const result = await execa('node', [cli, 'doctor'], {
      reject: false,
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stdout + result.stderr).toMatch(
      /✗ docker engine: .*\n\s+fix: Start a Docker engine/,
    );
  });
});
