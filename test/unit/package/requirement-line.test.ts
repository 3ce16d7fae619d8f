import { describe, expect, it } from 'vitest';
import {
  localReference,
  logicalLines,
  parseRequirementLine,
} from '../../../src/package/pip-sources/requirement-line.js';
import { pipConfigSources, rewritePipConfig } from '../../../src/package/pip-sources/pip-config.js';

describe('requirements file lines, as pip reads them', () => {
  it.each([
    ['--find-links ./wheels', [{ option: 'find-links', value: './wheels' }]],
    ['--find-links=wheels', [{ option: 'find-links', value: 'wheels' }]],
    ['-f ./wheels', [{ option: 'find-links', value: './wheels' }]],
    ['-f./wheels', [{ option: 'find-links', value: './wheels' }]],
    ['-i file:///srv/simple', [{ option: 'index-url', value: 'file:///srv/simple' }]],
    [
      '--index-url=https://pypi.corp/simple',
      [{ option: 'index-url', value: 'https://pypi.corp/simple' }],
    ],
    [
      '--extra-index-url file:///srv/extra --no-index',
      [{ option: 'extra-index-url', value: 'file:///srv/extra' }],
    ],
  ] as const)('%s names a package source', (line, sources) => {
    expect(parseRequirementLine(line)).toEqual({ includes: [], sources, packages: [] });
  });

  it('finds includes and the local packages a line installs', () => {
    expect(parseRequirementLine('-r base.txt').includes).toEqual(['base.txt']);
    expect(parseRequirementLine('--constraint=constraints.txt').includes).toEqual([
      'constraints.txt',
    ]);
    expect(parseRequirementLine('-e ./vendor/pkg').packages).toEqual(['./vendor/pkg']);
    expect(parseRequirementLine('greeting @ file:///srv/greeting-1.0.whl').packages).toContain(
      'file:///srv/greeting-1.0.whl',
    );
    expect(parseRequirementLine('greeting@file:///srv/g.whl').packages).toEqual([
      'file:///srv/g.whl',
    ]);
    expect(parseRequirementLine('flask==3.1 --hash=sha256:abc').packages).toEqual(['flask==3.1']);
  });

  it('joins continued lines and drops comments, keeping the first line number', () => {
    const text = '# offline\n--find-links \\\n  ./wheels  # ours\n\nflask\n';
    expect(logicalLines(text)).toEqual([
      { line: '--find-links   ./wheels', number: 2 },
      { line: 'flask', number: 5 },
    ]);
  });

  it.each([
    ['./wheels', false, { path: './wheels', url: false }],
    ['/srv/wheels', false, { path: '/srv/wheels', url: false }],
    ['wheels', true, { path: 'wheels', url: false }],
    ['wheels', false, undefined],
    ['flask==3.1', false, undefined],
    ['file:///srv/my%20wheels', false, { path: '/srv/my wheels', url: true }],
    ['file://localhost/srv/simple', false, { path: '/srv/simple', url: true }],
    ['file:./vendor/pkg', false, { path: './vendor/pkg', url: true }],
    ['file://./vendor/pkg', false, { path: './vendor/pkg', url: true }],
    ['https://pypi.corp/simple', true, undefined],
    ['git+https://example.com/x.git', false, undefined],
  ] as const)('%s (bare names count: %s) → %j', (value, bare, expected) => {
    expect(localReference(value, bare)).toEqual(expected);
  });
});

describe('pip.conf package sources', () => {
  const conf = [
    '[global]',
    'timeout = 60',
    'find-links = /srv/wheels',
    '    ./more-wheels',
    'index-url: file:///srv/simple',
    '[install]',
    'extra_index_url = https://pypi.corp/simple',
    '[freeze]',
    'find-links = /ignored',
  ].join('\n');

  it('reads find-links and index URLs from the sections pip install uses', () => {
    expect(pipConfigSources(conf)).toEqual([
      { option: 'find-links', value: '/srv/wheels' },
      { option: 'find-links', value: './more-wheels' },
      { option: 'index-url', value: 'file:///srv/simple' },
      { option: 'extra-index-url', value: 'https://pypi.corp/simple' },
    ]);
  });

  it('rewrites only those values and keeps every other byte', () => {
    const rewritten = rewritePipConfig(conf, (_option, value) =>
      value.startsWith('https') ? undefined : `<${value}>`,
    );
    expect(rewritten.split('\n')).toEqual([
      '[global]',
      'timeout = 60',
      'find-links = </srv/wheels>',
      '    <./more-wheels>',
      'index-url: <file:///srv/simple>',
      '[install]',
      'extra_index_url = https://pypi.corp/simple',
      '[freeze]',
      'find-links = /ignored',
    ]);
  });
});
