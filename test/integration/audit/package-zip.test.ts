/**
 * The audit on what `lbuild package` really produces: the python-native fixture compiled in the
 * offline python3.11 build stand-in (Debian 12, glibc 2.36). Its C extension only uses old glibc
 * symbols, so it passes the x86_64 audit whatever the build glibc; the same zip fails arm64.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { auditZip, type AuditReport } from '../../../src/audit/index.js';
import { loadProject } from '../../../src/config/load.js';
import { packageProject } from '../../../src/package/package-project.js';
import { dockerGate, requireDocker } from '../../support/gates.js';
import { copyFixture } from '../../support/fixtures.js';

const gate = await dockerGate();

describe.skipIf(gate.skipReason)('lbuild audit on a zip from lbuild package', () => {
  let docker: Docker;
  let zip: string;

  beforeAll(async () => {
    docker = await requireDocker();
    const report = await packageProject(loadProject(copyFixture('python-native')), {
      imageSource: 'offline',
      docker,
    });
    zip = report.zip;
  });

  it('passes python3.11 x86_64 and names every binary and wheel', async () => {
    const report: AuditReport = await auditZip(zip, {
      runtime: 'python3.11',
      architecture: 'x86_64',
    });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.elfFiles).toBeGreaterThanOrEqual(1);
    expect(report.wheels).toBeGreaterThanOrEqual(1);
    expect(report.requiredGlibc).toBeDefined();
  });

  it('fails an arm64 audit: the extension and its wheel tag are x86-64', async () => {
    const report = await auditZip(zip, { runtime: 'python3.11', architecture: 'arm64' });
    expect(report.ok).toBe(false);
    const kinds = new Set(report.errors.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['wheel-wrong-architecture', 'wrong-architecture']);
    expect(report.errors.find((e) => e.kind === 'wrong-architecture')?.file).toMatch(
      /^fastmath\.cpython-311-x86_64-linux-gnu\.so$/,
    );
  });
});
