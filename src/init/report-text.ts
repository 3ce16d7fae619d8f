/** The human summary of `lbuild init` (stderr): where it wrote, what it mapped, what it could not. */
import type { InitResult } from './init-types.js';
import { formatConfig } from './write-config.js';

export function formatInitReport(result: InitResult): string {
  const what = result.from ? `${result.from} (${result.source})` : 'the app in this folder';
  const lines = [
    result.written
      ? `✔ wrote ${result.file} from ${what}`
      : `✔ would write ${result.file} from ${what} (--dry-run)`,
    ...result.choices.map(
      (c) =>
        `  ? ${c.question} ${c.answer}${c.by === 'default' ? ' (the default: no terminal to ask, or --yes)' : ''}`,
    ),
    '  mapped:',
    ...result.mapped.map((line) => `    ${line}`),
  ];
  if (result.notMapped.length > 0)
    lines.push('  not mapped:', ...result.notMapped.map((line) => `    - ${line}`));
  if (!result.written) lines.push('', formatConfig(result.config).trimEnd());
  else lines.push(`  next: lbuild package, then lbuild serve`);
  return lines.join('\n');
}
