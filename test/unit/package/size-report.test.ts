import { describe, expect, it } from 'vitest';
import { LimitError } from '../../../src/errors.js';
import {
  checkUnzippedLimit,
  contributorOf,
  largestContributors,
  unzippedLimitBytes,
} from '../../../src/package/size-report.js';

describe('size report', () => {
  it('groups files by top-level entry, and by package inside node_modules', () => {
    expect(contributorOf('numpy/core/_multiarray.so')).toBe('numpy');
    expect(contributorOf('node_modules/sharp/lib/index.js')).toBe('node_modules/sharp');
    expect(contributorOf('node_modules/@aws-sdk/client-s3/dist/index.js')).toBe(
      'node_modules/@aws-sdk/client-s3',
    );
    expect(contributorOf('app.py')).toBe('app.py');
  });

  it('ranks contributors by bytes', () => {
    const largest = largestContributors([
      { name: 'numpy/a.so', size: 30 },
      { name: 'numpy/b.py', size: 5 },
      { name: 'app.py', size: 1 },
      { name: 'pandas/x.so', size: 20 },
    ]);
    expect(largest).toEqual([
      { path: 'numpy', bytes: 35 },
      { path: 'pandas', bytes: 20 },
      { path: 'app.py', bytes: 1 },
    ]);
  });

  it("fails over Lambda's 250 MB unzipped limit, naming the biggest contributors", () => {
    const largest = [
      { path: 'torch', bytes: 200_000_000 },
      { path: 'numpy', bytes: 70_000_000 },
    ];
    expect(() => checkUnzippedLimit(unzippedLimitBytes, largest)).not.toThrow();
    let error: unknown;
    try {
      checkUnzippedLimit(270_000_000, largest);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LimitError);
    expect((error as LimitError).message).toMatch(
      /over Lambda's 250 MB limit \(262144000 bytes\); biggest: torch \(190\.7 MiB\), numpy/,
    );
    expect((error as LimitError).exitCode).toBe(1);
  });
});
