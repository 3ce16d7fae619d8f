/**
 * `lbuild serve --detach`: the same serve command run again as a background process whose output
 * goes to the serve log; ready when that process has written its state file.
 */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { ResolvedProject } from '../config/resolved-project.js';
import { EnvironmentError } from '../errors.js';
import { readState, serveDir, serveLogFile, type StackState } from './state-file.js';

/** How long a background start may take: a first start builds images and installs dependencies. */
const startTimeoutMs = 180_000;

/** Starts `node <args>` (a serve command without --detach) in the background; waits until ready. */
export async function startDetached(project: ResolvedProject, args: string[]): Promise<StackState> {
  await mkdir(serveDir(project.root), { recursive: true });
  const logFile = serveLogFile(project.root);
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, LBUILD_SERVE_LOG: logFile },
  });
  child.unref();
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    const state = readState(project.root);
    if (state?.ready && state.pid === child.pid) return state;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new EnvironmentError(`lbuild serve did not start in the background; see ${logFile}`, {
    hint: 'Run `lbuild serve` in the foreground to see the error.',
  });
}
