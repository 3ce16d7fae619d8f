/**
 * Names of worker containers: lbuild-<project>-<function>-<n>-<run>. n counts a function's workers
 * from 1 within this run (a factory); <run> is chosen once per factory, so workers of one run
 * share it and never collide with another run's, or another lbuild process's, workers.
 */
import { containerName, nameSegment, nameSuffix } from '../../../docker/container-name.js';

export class WorkerContainerNames {
  private readonly run = nameSuffix();
  /** Keyed by the sanitized name: "my fn" and "my-fn" would otherwise get the same names. */
  private readonly counts = new Map<string, number>();

  constructor(private readonly project: string) {}

  next(functionName: string): string {
    const segment = nameSegment(functionName);
    const n = (this.counts.get(segment) ?? 0) + 1;
    this.counts.set(segment, n);
    return containerName([this.project, segment, String(n)], this.run);
  }

  /** The staging container that builds a code image (created, never started). */
  codeStaging(): string {
    return containerName([this.project, 'code']);
  }
}
