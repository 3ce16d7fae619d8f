/** .lbuild/serve/state.json: how `lbuild down`, `logs`, `invoke` and `manage` find a running stack. */
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../process-alive.js';
import type { ImageSource } from '../runtimes/images.js';

export interface StackState {
  pid: number;
  composeProject: string;
  composeFiles: string[];
  apiUrl: string;
  invokeUrl: string;
  staticUrl: string | undefined;
  databaseUrl: string | undefined;
  /** Function name → its function URL ("http://127.0.0.1:9100/"). */
  functionUrls?: Record<string, string>;
  /** Web functions' endpoints by function name (absent in states written before web functions). */
  webUrls?: Record<string, string>;
  logFile: string | undefined;
  ready: boolean;
  /** The Docker network the workers joined (the Compose network when there is a database). */
  network?: string;
  /** --stage: which .env.<stage> the functions' environment read. */
  stage?: string;
  /** Where the stack's images came from: commands joining it (invoke, manage) use the same. */
  imageSource?: ImageSource;
}

export const serveDir = (root: string) => join(root, '.lbuild', 'serve');
const stateFile = (root: string) => join(serveDir(root), 'state.json');
/** Where a detached serve process writes its output, and where `lbuild logs` reads it. */
export const serveLogFile = (root: string) => join(serveDir(root), 'serve.log');

export async function writeState(root: string, state: StackState): Promise<void> {
  await writeFile(stateFile(root), `${JSON.stringify(state, null, 2)}\n`);
}

export function readState(root: string): StackState | undefined {
  const file = stateFile(root);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as StackState;
}

export async function clearState(root: string): Promise<void> {
  await rm(stateFile(root), { force: true });
}

export const isAlive = isProcessAlive;

/** The stack `lbuild serve` is running for this project (foreground or detached), if any. */
export function runningStack(root: string): StackState | undefined {
  const state = readState(root);
  return state?.ready && isAlive(state.pid) ? state : undefined;
}
