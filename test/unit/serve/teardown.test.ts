import { describe, expect, it } from 'vitest';
import { Teardown } from '../../../src/serve/teardown.js';

describe('Teardown', () => {
  it('runs deferred steps last first, awaiting each', async () => {
    const teardown = new Teardown();
    const order: string[] = [];
    teardown.defer(() => order.push('database'));
    teardown.defer(async () => {
      await new Promise((r) => setTimeout(r, 10));
      order.push('workers');
    });
    teardown.defer(() => order.push('gateway'));
    await teardown.run();
    expect(order).toEqual(['gateway', 'workers', 'database']);
  });

  it('keeps going when a step fails', async () => {
    const teardown = new Teardown();
    const order: string[] = [];
    teardown.defer(() => order.push('first'));
    teardown.defer(() => {
      throw new Error('already gone');
    });
    teardown.defer(() => Promise.reject(new Error('refused')));
    await teardown.run();
    expect(order).toEqual(['first']);
  });

  it('runs once: a second stop (Ctrl-C during stop) waits for the same run', async () => {
    const teardown = new Teardown();
    let runs = 0;
    teardown.defer(async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 10));
    });
    const first = teardown.run();
    const second = teardown.run();
    expect(second).toBe(first);
    await Promise.all([first, second, teardown.run()]);
    expect(runs).toBe(1);
  });
});
