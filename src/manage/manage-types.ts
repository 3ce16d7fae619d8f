import type Docker from 'dockerode';
import type { Reporter } from '../log.js';

export interface ManageOptions {
  /** The management command and its own arguments: ['migrate', '--noinput']. */
  command: string[];
  /** Whose environment: default the function with a wsgi: handler, or the only one. */
  functionName?: string;
  /** Overrides django.manageTimeout for this run. */
  timeoutSeconds?: number;
  /** Ignore a running stack: a fresh container on the default bridge, without the stack's DATABASE_URL. */
  fresh?: boolean;
  /** Receives the command's output as it comes, chunk by chunk. */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
  reporter?: Reporter;
  docker?: Docker;
}

export interface ManageResult {
  functionName: string;
  command: string[];
  /** What ran in the container, e.g. ["python3", "-m", "django", "migrate"]. */
  argv: string[];
  /** DJANGO_SETTINGS_MODULE as the command saw it; undefined when manage.py chose its own. */
  settingsModule: string | undefined;
  /** In the running stack's network with its environment, or in a fresh container. */
  via: 'stack' | 'container';
  network: string | undefined;
  /** The command's own exit status (lbuild exits with it). */
  exitCode: number;
  durationMs: number;
  timeoutSeconds: number;
}
