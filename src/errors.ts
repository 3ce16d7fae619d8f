/**
 * One error hierarchy for the whole tool. Library code throws these; only the CLI prints them and
 * picks the process exit code. Every error carries a hint that says how to fix the problem.
 */
export const ExitCode = {
  ok: 0,
  user: 1,
  environment: 2,
  internal: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export abstract class LbuildError extends Error {
  abstract readonly exitCode: ExitCode;
  /** Short machine-readable name, stable across releases (used in --json output). */
  abstract readonly code: string;
  readonly hint: string | undefined;
  /** Extra structured facts for --json output (paths, sizes, tails of logs). */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    message: string,
    options: { hint?: string; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.details = options.details;
  }

  toJSON(): Record<string, unknown> {
    return {
      error: this.code,
      message: this.message,
      hint: this.hint,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** Bad input from the user: config, flags, project contents. Exit 1. */
export class UserError extends LbuildError {
  readonly exitCode = ExitCode.user;
  readonly code: string = 'user-error';
}

/** lbuild.json (or a flag standing in for it) does not validate. Names the JSON path. */
export class ConfigError extends UserError {
  override readonly code = 'config-invalid';
  constructor(
    readonly jsonPath: string,
    problem: string,
    hint: string,
    readonly file?: string,
  ) {
    super(`${file ? `${file}: ` : ''}${jsonPath}: ${problem}`, {
      hint,
      details: { path: jsonPath, file },
    });
  }
}

/** Installing dependencies in the build container failed (pip/npm error). */
export class BuildError extends UserError {
  override readonly code = 'build-failed';
}

/**
 * npm installed the dependencies but skipped some of their install scripts (npm 12's allowScripts
 * policy, ignore-scripts), so their native builds are missing.
 */
export class InstallScriptsSkippedError extends UserError {
  override readonly code = 'install-scripts-skipped';
}

/** Something ran past its timeout (database.init, `lbuild manage`); the message names the key that raises it. */
export class TimedOutError extends UserError {
  override readonly code = 'timed-out';
}

/** The package breaks a Lambda limit. */
export class LimitError extends UserError {
  override readonly code = 'limit-exceeded';
}

/** The machine is not ready: no Docker engine, missing image, no QEMU, busy port. Exit 2. */
export class EnvironmentError extends LbuildError {
  readonly exitCode = ExitCode.environment;
  readonly code: string = 'environment';
}

export class DockerUnavailableError extends EnvironmentError {
  override readonly code = 'docker-unavailable';
}

export class ImageMissingError extends EnvironmentError {
  override readonly code = 'image-missing';
}

/** A bug in lbuild itself. Exit 3. */
export class InternalError extends LbuildError {
  readonly exitCode = ExitCode.internal;
  readonly code = 'internal';
}

/** The user pressed Ctrl-C; cleanup has run. Exit 130 is conventional but we map to 1. */
export class CancelledError extends UserError {
  override readonly code = 'cancelled';
}

export function toLbuildError(error: unknown): LbuildError {
  if (error instanceof LbuildError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new InternalError(`unexpected error: ${message}`, {
    cause: error,
    hint: 'This is a bug in lbuild. Re-run with LBUILD_DEBUG=1 for the stack trace and report it.',
  });
}
