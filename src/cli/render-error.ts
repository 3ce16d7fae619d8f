/** The one place errors are printed: message + hint on stderr, or a JSON object with --json. */
import { toLbuildError, type LbuildError } from '../errors.js';

export function renderError(error: unknown, options: { json: boolean }): LbuildError {
  const failure = toLbuildError(error);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok: false, ...failure.toJSON() })}\n`);
  }
  process.stderr.write(`error: ${failure.message}\n`);
  if (failure.hint) process.stderr.write(`hint: ${failure.hint}\n`);
  if (process.env.LBUILD_DEBUG && failure.stack) process.stderr.write(`${failure.stack}\n`);
  return failure;
}
