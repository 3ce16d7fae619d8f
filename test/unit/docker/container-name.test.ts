/** Container names: readable in `docker ps`, valid for Docker, unique per run and per worker. */
import { describe, expect, test } from 'vitest';
import { containerName, nameSegment } from '../../../src/docker/container-name.js';
import { WorkerContainerNames } from '../../../src/emulator/workers/container/worker-container-names.js';

const dockerName = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

describe('container names', () => {
  test('project and function names keep only what Docker allows', () => {
    expect(nameSegment('my-shop')).toBe('my-shop');
    expect(nameSegment('My Shop (v2)!')).toBe('My-Shop-v2');
    expect(nameSegment('café_api.v1')).toBe('caf-_api.v1');
    expect(nameSegment('--hidden--')).toBe('hidden');
    expect(nameSegment('***')).toBe('unnamed');
    expect(nameSegment('x'.repeat(100))).toHaveLength(40);
  });

  test('lbuild-<parts>-<six hex>, a new suffix each time unless one is given', () => {
    const name = containerName(['My Shop', 'build']);
    expect(name).toMatch(/^lbuild-My-Shop-build-[0-9a-f]{6}$/);
    expect(name).toMatch(dockerName);
    expect(containerName(['My Shop', 'build'])).not.toBe(name);
    expect(containerName(['shop', 'probe'], 'abc123')).toBe('lbuild-shop-probe-abc123');
  });

  test('worker containers: lbuild-<project>-<function>-<n>-<run>, n counted per function', () => {
    const names = new WorkerContainerNames('my shop');
    const api1 = names.next('api');
    const run = api1.slice(-6);
    expect(api1).toMatch(/^lbuild-my-shop-api-1-[0-9a-f]{6}$/);
    expect(names.next('api')).toBe(`lbuild-my-shop-api-2-${run}`);
    expect(names.next('worker')).toBe(`lbuild-my-shop-worker-1-${run}`);
    // Two functions whose names sanitize alike still get distinct names.
    expect(names.next('api!')).toBe(`lbuild-my-shop-api-3-${run}`);
    expect(names.codeStaging()).toMatch(/^lbuild-my-shop-code-[0-9a-f]{6}$/);
  });

  test('two runs (two factories, or two lbuild processes) never share a worker name', () => {
    const first = new WorkerContainerNames('shop').next('api');
    const second = new WorkerContainerNames('shop').next('api');
    expect(first).not.toBe(second);
    expect(first.slice(0, -6)).toBe(second.slice(0, -6));
  });
});
