/**
 * `lbuild doctor`: check what lbuild needs from this machine and say how to fix each problem.
 */
import type { Check } from './check.js';
import { engineCheck, workerNetworkCheck } from './engine-checks.js';
import { arm64Check, composeCheck, diskCheck } from './host-checks.js';
import { imagesCheck } from './images-check.js';

export async function runDoctor(): Promise<Check[]> {
  const engine = await engineCheck();
  const checks: Check[] = [engine.check, await composeCheck(), arm64Check(), await diskCheck()];
  // The engine's own checks only make sense when it answered.
  if (engine.docker) {
    checks.push(await workerNetworkCheck(engine.docker));
    checks.push(await imagesCheck(engine.docker));
  }
  return checks;
}
