/** What every start-up phase of `lbuild serve` shares (see stack.ts for the order of the phases). */
import type Docker from 'dockerode';
import type { ResolvedFunction, ResolvedProject } from '../config/resolved-project.js';
import type { DebugRequest, DebugTarget } from '../debug/debug-plan.js';
import type { LogSink } from '../emulator/index.js';
import type { Reporter } from '../log.js';
import type { ImageSource } from '../runtimes/images.js';
import type { ComposeProject } from './compose/compose-cli.js';
import type { DatabaseSettings } from './compose/stack-file.js';
import type { Teardown } from './teardown.js';

export interface ServeOptions {
  stage?: string;
  apiPort?: number;
  staticPort?: number;
  invokePort?: number;
  watch?: boolean;
  reporter?: Reporter;
  imageSource?: ImageSource;
  docker?: Docker;
  dbTimeoutMs?: number;
  logFile?: string;
  /** `--debug`: run these functions under a debugger (src/debug/). */
  debug?: DebugRequest;
}

export interface StackContext {
  project: ResolvedProject;
  options: ServeOptions;
  reporter: Reporter;
  source: ImageSource;
  docker: Docker;
  compose: ComposeProject;
  database: DatabaseSettings | undefined;
  /** The project's functions with their serve-time environment (DATABASE_URL, .env, STAGE). */
  functions: ResolvedFunction[];
  /** The functions run under a debugger (`--debug`), with their ports. */
  debug: DebugTarget[];
  logs: LogSink;
  mask(text: string): string;
  teardown: Teardown;
  /** Set once everything has started: teardown then stops the database instead of removing it. */
  ready: boolean;
}
