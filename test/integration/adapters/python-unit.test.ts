/** Runs the stdlib-only Python unit tests of lbuild_adapters (event parsing, response building). */
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { pythonGate } from '../../support/gates.js';

const gate = await pythonGate();
const python = gate.python;

describe.skipIf(gate.skipReason)('lbuild_adapters Python unit tests', () => {
  it('pass under unittest', async () => {
    const file = fileURLToPath(new URL('./test_event_request.py', import.meta.url));
    const result = await execa(python!, [file, '-v'], {
      reject: false,
      all: true,
      env: { PYTHONDONTWRITEBYTECODE: '1' },
    });
    expect(result.all).toMatch(/OK/);
    expect(result.exitCode, result.all).toBe(0);
  });
});
