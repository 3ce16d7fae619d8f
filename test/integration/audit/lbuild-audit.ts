/**
 * The CLI as main.ts wires it, with `audit` registered, run by vite-node from the sources so the
 * test sees real process exit codes and separate stdout/stderr without a build step.
 */
import { Command } from 'commander';
import { registerAudit } from '../../../src/cli/commands/audit.js';

const program = new Command('lbuild')
  .showHelpAfterError()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });
program.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 1));
registerAudit(program);
await program.parseAsync(process.argv);
