import { describe, expect, it } from 'vitest';
import {
  isWheelMetadata,
  parsePlatform,
  parseWheelFile,
  tagProblems,
} from '../../../src/audit/wheel-tags.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';

// As bdist_wheel writes it (cryptography 41.0.0's real WHEEL file has this shape).
const cryptographyWheel = `Wheel-Version: 1.0
Generator: bdist_wheel (0.40.0)
Root-Is-Purelib: false
Tag: cp37-abi3-manylinux_2_28_x86_64
`;

const py311 = findRuntime('python3.11');
const py312 = findRuntime('python3.12');

describe('WHEEL files', () => {
  it('finds WHEEL metadata by path', () => {
    expect(isWheelMetadata('cryptography-41.0.0.dist-info/WHEEL')).toBe(true);
    expect(
      isWheelMetadata('python/lib/python3.11/site-packages/numpy-1.26.4.dist-info/WHEEL'),
    ).toBe(true);
    expect(isWheelMetadata('numpy-1.26.4.dist-info/METADATA')).toBe(false);
    expect(isWheelMetadata('WHEEL')).toBe(false);
  });

  it('reads name, version and every tag, expanding compressed tag sets', () => {
    expect(parseWheelFile('cryptography-41.0.0.dist-info/WHEEL', cryptographyWheel)).toEqual({
      name: 'cryptography',
      version: '41.0.0',
      tags: [
        {
          tag: 'cp37-abi3-manylinux_2_28_x86_64',
          python: 'cp37',
          abi: 'abi3',
          platform: 'manylinux_2_28_x86_64',
        },
      ],
    });
    const numpy = parseWheelFile(
      'numpy-1.26.4.dist-info/WHEEL',
      'Tag: cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64\r\n',
    );
    expect(numpy.tags.map((t) => t.tag)).toEqual([
      'cp311-cp311-manylinux_2_17_x86_64',
      'cp311-cp311-manylinux2014_x86_64',
    ]);
    expect(
      parseWheelFile('six-1.16.0.dist-info/WHEEL', 'Tag: py2-none-any\nTag: py3-none-any\n').tags,
    ).toHaveLength(2);
  });

  it('parses platform tags', () => {
    expect(parsePlatform('manylinux_2_28_aarch64')).toEqual({
      kind: 'manylinux',
      libcVersion: '2.28',
      cpu: 'aarch64',
    });
    expect(parsePlatform('manylinux2014_x86_64')).toEqual({
      kind: 'manylinux',
      libcVersion: '2.17',
      cpu: 'x86_64',
    });
    expect(parsePlatform('manylinux1_x86_64').libcVersion).toBe('2.5');
    expect(parsePlatform('manylinux2010_x86_64').libcVersion).toBe('2.12');
    expect(parsePlatform('musllinux_1_1_x86_64')).toEqual({
      kind: 'musllinux',
      libcVersion: '1.1',
      cpu: 'x86_64',
    });
    expect(parsePlatform('macosx_10_9_universal2').kind).toBe('macos');
    expect(parsePlatform('win_amd64').kind).toBe('windows');
    expect(parsePlatform('linux_x86_64')).toEqual({
      kind: 'linux',
      libcVersion: undefined,
      cpu: 'x86_64',
    });
    expect(parsePlatform('any').kind).toBe('any');
  });
});

describe('tag verdicts', () => {
  const tag = (t: string) => {
    const [python, abi, platform] = t.split('-') as [string, string, string];
    return { tag: t, python, abi, platform };
  };

  it('manylinux_2_28 fails Amazon Linux 2 and fits Amazon Linux 2023', () => {
    expect(tagProblems(tag('cp37-abi3-manylinux_2_28_x86_64'), py311, 'x86_64')).toEqual([
      { kind: 'wheel-glibc-too-new', needs: '2.28', has: '2.26' },
    ]);
    expect(tagProblems(tag('cp37-abi3-manylinux_2_28_x86_64'), py312, 'x86_64')).toEqual([]);
    expect(tagProblems(tag('cp312-cp312-manylinux_2_34_x86_64'), py312, 'x86_64')).toEqual([]);
    expect(tagProblems(tag('cp312-cp312-manylinux_2_35_x86_64'), py312, 'x86_64')).toEqual([
      { kind: 'wheel-glibc-too-new', needs: '2.35', has: '2.34' },
    ]);
    expect(tagProblems(tag('cp311-cp311-manylinux2014_x86_64'), py311, 'x86_64')).toEqual([]);
  });

  it('checks the CPU', () => {
    expect(tagProblems(tag('cp311-cp311-manylinux2014_x86_64'), py311, 'arm64')).toEqual([
      { kind: 'wheel-wrong-architecture', cpu: 'x86_64' },
    ]);
    expect(tagProblems(tag('cp311-cp311-manylinux2014_aarch64'), py311, 'arm64')).toEqual([]);
  });

  it('rejects macOS, Windows and musl wheels', () => {
    for (const t of [
      'cp311-cp311-macosx_11_0_arm64',
      'cp311-cp311-win_amd64',
      'cp311-cp311-musllinux_1_1_x86_64',
    ]) {
      expect(
        tagProblems(tag(t), py311, 'x86_64').map((p) => p.kind),
        t,
      ).toEqual(['wheel-wrong-platform']);
    }
  });

  it('checks the CPython version: exact for cpXY ABIs, a floor for abi3', () => {
    expect(tagProblems(tag('cp312-cp312-manylinux2014_x86_64'), py311, 'x86_64')).toEqual([
      { kind: 'wheel-wrong-python', python: 'cp312' },
    ]);
    expect(tagProblems(tag('cp38-abi3-manylinux2014_x86_64'), py311, 'x86_64')).toEqual([]);
    expect(tagProblems(tag('cp312-abi3-manylinux2014_x86_64'), py311, 'x86_64')).toEqual([
      { kind: 'wheel-wrong-python', python: 'cp312' },
    ]);
    expect(tagProblems(tag('py3-none-any'), py311, 'x86_64')).toEqual([]);
    expect(tagProblems(tag('py2-none-any'), py311, 'x86_64')).toEqual([
      { kind: 'wheel-wrong-python', python: 'py2' },
    ]);
    // Node runtimes do not load wheels; only the platform matters there.
    expect(
      tagProblems(tag('cp312-cp312-manylinux2014_x86_64'), findRuntime('nodejs18.x'), 'x86_64'),
    ).toEqual([]);
  });
});
