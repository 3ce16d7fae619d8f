/** The audit report for humans: one block per offending file, what is wrong and how to fix it. */
import { formatBytes, formatMs } from '../log.js';
import type { AuditReport } from './audit.js';
import type { Finding } from './finding.js';

export function formatAuditReport(report: AuditReport): string {
  const target = `${report.runtime} (${report.os}, glibc ${report.glibc}) ${report.architecture}`;
  const counts = [
    plural(report.errors.length, 'error'),
    plural(report.warnings.length, 'warning'),
  ].join(', ');
  const lines = [`${report.ok ? '✔' : '✖'} audit of ${report.source} for ${target}: ${counts}`];
  for (const finding of report.errors) lines.push(...block('error', finding));
  for (const finding of report.warnings) lines.push(...block('warning', finding));
  const needs = report.requiredGlibc ? `, needs glibc ${report.requiredGlibc}` : '';
  lines.push(
    `  ${plural(report.files, 'file')} (${formatBytes(report.bytes)}), ${report.elfFiles} ELF, ${plural(report.wheels, 'wheel')}${needs}, ${formatMs(report.durationMs)}`,
  );
  return lines.join('\n');
}

function block(level: 'error' | 'warning', finding: Finding): string[] {
  return [`  ${level}: ${finding.file}`, `    ${finding.message}`, `    fix: ${finding.fix}`];
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** One line per finding ("error: file: message"), e.g. for a package report's warnings list. */
export function findingLines(report: AuditReport): string[] {
  return [
    ...report.errors.map((f) => `audit error: ${f.file}: ${f.message}`),
    ...report.warnings.map((f) => `audit: ${f.file}: ${f.message}`),
  ];
}
