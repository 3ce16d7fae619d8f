import { stderrReporter, type Reporter } from '../log.js';

export interface CommonOptions {
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

/** Every warning this command printed, once each: --json reports carry them (run-command.ts). */
export const commandWarnings: string[] = [];

/**
 * Progress always goes to stderr, so stdout stays clean for --json. A warning is said once per
 * command however many parts of the library notice the same thing.
 */
export function reporterFor(options: CommonOptions): Reporter {
  const reporter = stderrReporter({ verbose: options.verbose ?? false });
  return {
    ...reporter,
    warn(message) {
      if (commandWarnings.includes(message)) return;
      commandWarnings.push(message);
      reporter.warn(message);
    },
  };
}
