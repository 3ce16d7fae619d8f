import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { crc32, tableCrc32 } from '../../../src/package/zip/crc32.js';
import {
  normalizeEntryName,
  resolveZipMtime,
  toDosDateTime,
} from '../../../src/package/zip/index.js';

describe('zip format helpers', () => {
  it('the table CRC-32 fallback agrees with the native one', () => {
    for (const size of [0, 1, 7, 4096, 100_003]) {
      const data = randomBytes(size);
      expect(tableCrc32(data)).toBe(crc32(data));
    }
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926); // the standard check value
  });

  it('computes DOS date/time from UTC fields, whatever TZ says', () => {
    const dos = toDosDateTime(new Date(Date.UTC(2024, 1, 29, 23, 59, 59)));
    expect(dos.date).toBe(((2024 - 1980) << 9) | (2 << 5) | 29);
    expect(dos.time).toBe((23 << 11) | (59 << 5) | 29);
  });

  it('reads SOURCE_DATE_EPOCH, defaults to 1980 and rejects garbage', () => {
    expect(resolveZipMtime({}).toISOString()).toBe('1980-01-01T00:00:00.000Z');
    expect(resolveZipMtime({ SOURCE_DATE_EPOCH: '' }).toISOString()).toBe(
      '1980-01-01T00:00:00.000Z',
    );
    expect(resolveZipMtime({ SOURCE_DATE_EPOCH: '1700000000' }).toISOString()).toBe(
      '2023-11-14T22:13:20.000Z',
    );
    for (const bad of ['-1', '1.5', '1e9', 'now'])
      expect(() => resolveZipMtime({ SOURCE_DATE_EPOCH: bad })).toThrow(UserError);
  });

  it('normalises names and refuses ones that escape', () => {
    expect(normalizeEntryName('./a//b/./c')).toBe('a/b/c');
    expect(normalizeEntryName('a/b..c/..d')).toBe('a/b..c/..d'); // dots inside a segment are fine
    for (const bad of ['..', 'a/..', '/a', 'c:x', 'a\\b', 'a\0b', '.', ''])
      expect(() => normalizeEntryName(bad), bad).toThrow(UserError);
  });
});
