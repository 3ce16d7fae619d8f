import type { Command } from 'commander';
import { runDoctor } from '../../doctor.js';
import { ExitCode } from '../../errors.js';
import { runCommand } from '../run-command.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check the Docker engine, Compose, QEMU for arm64, disk space and images; say how to fix each problem')
    .option('--json', 'print the checks as JSON')
    .action(async (flags: { json?: boolean }) => {
      await runCommand(flags.json ?? false, async () => {
        const checks = await runDoctor();
        const lines = checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}${c.fix ? `\n    fix: ${c.fix}` : ''}`);
        const engineDown = checks.some((c) => c.name === 'docker engine' && !c.ok);
        return { result: { ok: checks.every((c) => c.ok), checks }, summary: lines.join('\n'), exitCode: engineDown ? ExitCode.environment : ExitCode.ok };
      });
    });
}
