/**
 * Which warm worker takes the next invocation: the most recently used. After a burst has started
 * three workers, sequential requests keep going to one of them, so the others idle (and are
 * reaped after the idle timeout) instead of all being kept warm in turn.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { fnDef, json, pythonFixtures } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({
    codeDir: pythonFixtures,
    functions: [fnDef('pid', 'handlers.pid_after', { concurrency: 3 })],
  });
});
afterAll(async () => emu?.close());

const pidOf = async (seconds: number) => {
  const outcome = await emu.invoker.invoke({
    functionName: 'pid',
    payload: Buffer.from(JSON.stringify({ seconds })),
  });
  if (outcome.kind !== 'succeeded') throw new Error(`unexpected ${outcome.kind}`);
  return json(outcome.body) as number;
};

test('sequential invocations after a burst all reuse the most recently used worker', async () => {
  // Completion order, not the sleeps, decides which worker was used last: under load a worker
  // that started late can finish its short sleep after a longer one.
  const finished: number[] = [];
  const burst = await Promise.all(
    [0.3, 0.2, 0.1].map((seconds) => pidOf(seconds).then((pid) => (finished.push(pid), pid))),
  );
  expect(new Set(burst).size).toBe(3);
  const sequential: number[] = [];
  for (let i = 0; i < 6; i++) sequential.push(await pidOf(0));
  expect(new Set(sequential).size).toBe(1);
  expect(sequential[0]).toBe(finished.at(-1));
  expect(emu.invoker.stats('pid')).toMatchObject({ idle: 3, busy: 0 });
});
