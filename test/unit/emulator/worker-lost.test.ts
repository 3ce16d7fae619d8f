/**
 * A runtime that dies after replying and before taking the next event must not fail the next
 * request: the event was never delivered, so the pool runs it on a fresh worker.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { fixturesDir, fnDef, json } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({
    codeDir: fixturesDir,
    functions: [fnDef('oneShot', 'unused.handler', { runtimeName: 'nodejs20.x', concurrency: 1 })],
    runtimeCommand: () => ({
      command: process.execPath,
      args: [`${fixturesDir}one-shot-runtime.mjs`],
    }),
  });
});
afterAll(async () => emu?.close());

test('back-to-back invocations on a runtime that exits after each reply all succeed', async () => {
  const pids = new Set<number>();
  const notes: string[] = [];
  emu.logs.subscribe((e) => e.kind === 'platform' && notes.push(e.message));
  for (let n = 0; n < 10; n++) {
    const outcome = await emu.invoker.invoke({
      functionName: 'oneShot',
      payload: Buffer.from(JSON.stringify({ n })),
    });
    expect(outcome.kind).toBe('succeeded');
    if (outcome.kind !== 'succeeded') return;
    expect(json(outcome.body).served).toBe(n);
    pids.add(json(outcome.body).pid);
  }
  expect(pids.size).toBe(10);
  // Every death was noticed as harmless (between invocations or while idle), never as a failed request.
  expect(notes.length).toBeGreaterThan(0);
  expect(notes.every((note) => /between invocations|while idle/.test(note))).toBe(true);
});
