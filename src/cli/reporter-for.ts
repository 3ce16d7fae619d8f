import { stderrReporter, type Reporter } from '../log.js';

export interface CommonOptions {
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

/** Progress always goes to stderr, so stdout stays clean for --json. */
export function reporterFor(options: CommonOptions): Reporter {
  return stderrReporter({ verbose: options.verbose ?? false });
}
