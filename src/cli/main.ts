/** The lbuild command line: commander wiring only; every command calls the library. */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import { registerImages } from './commands/images.js';
import { registerPackage } from './commands/package.js';
import { registerServe } from './commands/serve.js';
import { registerDown } from './commands/down.js';
import { registerLogs } from './commands/logs.js';
import { registerDoctor } from './commands/doctor.js';
import { registerInvoke } from './commands/invoke.js';
import { registerAudit } from './commands/audit.js';
import { registerManage } from './commands/manage.js';
import { registerInit } from './commands/init.js';

export function buildProgram(): Command {
  const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  const program = new Command('lbuild')
    .description(
      'Build AWS Lambda zips in Lambda-compatible containers and run the app locally with production parity.',
    )
    .version(version)
    .showHelpAfterError()
    // Lets `lbuild manage` hand everything after its command name to Django.
    .enablePositionalOptions()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  // Bad flags are user errors (exit 1), not commander's default.
  program.exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : 1);
  });
  registerInit(program);
  registerPackage(program);
  registerImages(program);
  registerServe(program);
  registerDown(program);
  registerLogs(program);
  registerInvoke(program);
  registerManage(program);
  registerAudit(program);
  registerDoctor(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
