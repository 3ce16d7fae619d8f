import type { Command } from 'commander';
import { runDoctor, runtimeRows, type RuntimeRow } from '../../doctor/index.js';
import { ExitCode } from '../../errors.js';
import { runCommand } from '../run-command.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'check the Docker engine, Compose, QEMU for arm64, disk space and images; say how to fix each problem',
    )
    .option('--json', 'print the checks as JSON')
    .action(async (flags: { json?: boolean }) => {
      await runCommand(flags.json ?? false, async () => {
        const checks = await runDoctor();
        const lines = checks.map(
          (c) => `${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}${c.fix ? `\n    fix: ${c.fix}` : ''}`,
        );
        const engineDown = checks.some((c) => c.name === 'docker engine' && !c.ok);
        const runtimes = runtimeRows();
        return {
          result: { ok: checks.every((c) => c.ok), checks, runtimes },
          summary: [...lines, '', 'runtimes:', ...runtimeTable(runtimes)].join('\n'),
          exitCode: engineDown ? ExitCode.environment : ExitCode.ok,
        };
      });
    });
}

function statusText(row: RuntimeRow): string {
  const { deprecation, blockCreate } = row.lifecycle;
  if (row.status === 'current') return `current (deprecation ${deprecation})`;
  if (row.status === 'deprecated')
    return `deprecated ${deprecation}, create blocked ${blockCreate}`;
  return 'preview (--allow-preview)';
}

function runtimeTable(rows: RuntimeRow[]): string[] {
  const cells = rows.map((r) => [
    r.name,
    statusText(r),
    `${r.os}, glibc ${r.glibc}`,
    r.standIn ? `stand-in ${r.standIn}` : 'no stand-in',
  ]);
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  return cells.map(
    (c) =>
      `  ${c
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd()}`,
  );
}
