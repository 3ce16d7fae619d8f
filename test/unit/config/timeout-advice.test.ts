import { describe, expect, it } from 'vitest';
import {
  functionTimeout,
  manageTimeout,
  nearTimeoutWarning,
  timedOutMessage,
} from '../../../src/config/timeout-advice.js';

describe('timeout advice', () => {
  const migrate = functionTimeout({ name: 'migrate', timeout: 30 });

  it('says in one line what timed out, after how long, and the key that raises it', () => {
    expect(timedOutMessage('database.init (migrate)', migrate)).toBe(
      'database.init (migrate) timed out after 30 s: raise functions.migrate.timeout in lbuild.json',
    );
    expect(timedOutMessage('lbuild manage migrate', manageTimeout(900))).toBe(
      'lbuild manage migrate timed out after 900 s: django.manageTimeout in lbuild.json is at its maximum (900 s): make the work shorter or split it',
    );
    expect(timedOutMessage('lbuild manage migrate', manageTimeout(2.5))).toBe(
      'lbuild manage migrate timed out after 2.50 s: raise django.manageTimeout in lbuild.json or pass --timeout <seconds>',
    );
  });

  it('warns above 80% of the timeout, with the numbers, and not at or below it', () => {
    expect(nearTimeoutWarning('migrate', 25_500, migrate)).toBe(
      'migrate used 25.50 s of its 30 s timeout (85%): raise functions.migrate.timeout in lbuild.json before it times out',
    );
    expect(nearTimeoutWarning('migrate', 24_000, migrate)).toBeUndefined();
    expect(nearTimeoutWarning('migrate', 15_000, migrate)).toBeUndefined();
    expect(nearTimeoutWarning('migrate', 24_001, migrate)).toContain('(80%)');
  });
});
