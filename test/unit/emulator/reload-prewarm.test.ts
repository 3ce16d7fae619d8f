/**
 * Hot reload (reloadCode → WorkerPool.recycleAll): functions that had warm workers get a
 * replacement started at once; the first invocation after the change runs on it, fresh (module
 * state reset), and its REPORT carries the Init Duration, as a cold start's would. Functions that
 * were never used are not started.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import {
  startEmulator,
  type Emulator,
  type InvocationOutcome,
} from '../../../src/emulator/index.js';
import { fnDef, initMs, json, pythonFixtures } from './helpers.js';

let emu: Emulator;
const invoke = (functionName: string) =>
  emu.invoker.invoke({ functionName, payload: Buffer.from('{}') });
const bodyOf = (outcome: InvocationOutcome): any =>
  outcome.kind === 'succeeded' ? json(outcome.body) : outcome;

beforeEach(async () => {
  emu = await startEmulator({
    codeDir: pythonFixtures,
    functions: [fnDef('echo', 'handlers.echo'), fnDef('idle', 'handlers.echo')],
  });
});
afterEach(async () => emu?.close());

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  for (const end = Date.now() + ms; !check() && Date.now() < end;)
    await new Promise((resolve) => setTimeout(resolve, 10));
}

test('reloadCode pre-starts a replacement for a warm function; its first invocation reports the Init Duration', async () => {
  await invoke('echo');
  expect(bodyOf(await invoke('echo')).calls).toBe(2);

  await emu.reloadCode();
  // The replacement exists (idle, initializing or ready) before any request asks for it.
  expect(emu.invoker.stats('echo')).toMatchObject({ idle: 1, busy: 0 });
  expect(emu.invoker.stats('idle')).toMatchObject({ idle: 0, starting: 0 });

  const lines: string[] = [];
  emu.logs.subscribe((event) => event.kind === 'report' && lines.push(event.message));
  const first = await invoke('echo');
  expect(bodyOf(first).calls).toBe(1); // new code, new module state
  expect(initMs(first)).toBeGreaterThan(0);
  expect(lines.at(-1)).toMatch(/Init Duration: [\d.]+ ms$/);
  expect(emu.invoker.stats('echo')).toMatchObject({ idle: 1, busy: 0, starting: 0 }); // no second worker
  expect(initMs(await invoke('echo'))).toBeUndefined();
});

test('a request that arrives while the replacement starts waits for it instead of starting another', async () => {
  await invoke('echo');
  const reloading = emu.reloadCode();
  await until(
    () =>
      (emu.invoker.stats('echo')?.starting ?? 0) > 0 || (emu.invoker.stats('echo')?.idle ?? 0) > 0,
  );
  const outcome = await invoke('echo');
  await reloading;
  expect(bodyOf(outcome).calls).toBe(1);
  const stats = emu.invoker.stats('echo')!;
  expect(stats.idle + stats.busy + stats.starting).toBe(1);
});
