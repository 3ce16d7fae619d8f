import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  manylinuxNameFor,
  maxVersion,
  parseSymbolVersion,
  versionCeilings,
} from '../../../src/audit/glibc-versions.js';
import { runtimes } from '../../../src/runtimes/catalog.js';
import { findRuntime } from '../../../src/runtimes/lookup.js';

describe('symbol versions', () => {
  it('parses the namespaces it judges and ignores the rest', () => {
    expect(parseSymbolVersion('GLIBC_2.28')).toEqual({
      namespace: 'GLIBC',
      version: '2.28',
      name: 'GLIBC_2.28',
    });
    expect(parseSymbolVersion('GLIBC_2.2.5')?.version).toBe('2.2.5');
    expect(parseSymbolVersion('GLIBCXX_3.4.29')?.namespace).toBe('GLIBCXX');
    expect(parseSymbolVersion('CXXABI_1.3.13')?.namespace).toBe('CXXABI');
    for (const other of [
      'GLIBC_PRIVATE',
      'GCC_3.0',
      'OPENSSL_3.0.0',
      'CXXABI_TM_1',
      'GLIBCXX_DEBUG_MESSAGE_LENGTH',
    ])
      expect(parseSymbolVersion(other)).toBeUndefined();
  });

  it('compares numerically, part by part', () => {
    expect(compareVersions('2.9', '2.17')).toBe(-1);
    expect(compareVersions('2.28', '2.26')).toBe(1);
    expect(compareVersions('2.2.5', '2.3')).toBe(-1);
    expect(compareVersions('2.28', '2.28.0')).toBe(0);
    expect(maxVersion(['2.2.5', '2.14', '2.28', '2.3.4'])).toBe('2.28');
    expect(maxVersion([])).toBeUndefined();
  });

  it('knows each OS ceiling: glibc from the catalog, libstdc++ from the system GCC', () => {
    expect(versionCeilings(findRuntime('python3.11'))).toEqual({
      GLIBC: '2.26',
      GLIBCXX: '3.4.24',
      CXXABI: '1.3.11',
    });
    expect(versionCeilings(findRuntime('python3.12'))).toEqual({
      GLIBC: '2.34',
      GLIBCXX: '3.4.29',
      CXXABI: '1.3.13',
    });
    for (const runtime of runtimes) expect(versionCeilings(runtime).GLIBC).toBe(runtime.glibc);
  });

  it('names manylinux policies', () => {
    expect(manylinuxNameFor('2.17')).toBe('manylinux2014');
    expect(manylinuxNameFor('2.28')).toBe('manylinux_2_28');
  });
});
