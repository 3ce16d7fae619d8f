/**
 * `lbuild package --timings` (or LBUILD_DEBUG=timings): the report's stage breakdown as a table
 * on stderr, steps indented under their stage, so where the time went is visible at a glance.
 */
import type { TimedStage, Timings } from '../package/timings.js';

/** LBUILD_DEBUG is a comma-separated list; any value also turns on stack traces (render-error.ts). */
export function timingsRequested(flag: boolean | undefined): boolean {
  if (flag) return true;
  return (process.env.LBUILD_DEBUG ?? '')
    .split(',')
    .map((part) => part.trim())
    .includes('timings');
}

export function timingsTable(timings: Timings): string {
  const rows: Array<[string, number]> = [];
  const add = (stages: TimedStage[], depth: number) => {
    for (const stage of stages) {
      rows.push([`${'  '.repeat(depth)}${stage.name}`, stage.ms]);
      if (stage.steps) add(stage.steps, depth + 1);
    }
  };
  add(timings.stages, 0);
  rows.push(['other (between stages)', timings.otherMs]);
  const width = Math.max('total'.length, ...rows.map(([name]) => name.length));
  const share = (ms: number) =>
    timings.totalMs > 0 ? `${((ms / timings.totalMs) * 100).toFixed(0).padStart(3)}%` : '';
  const line = (name: string, ms: number) =>
    `  ${name.padEnd(width)}  ${String(ms).padStart(7)} ms  ${share(ms)}`;
  return [
    'timings:',
    ...rows.map(([name, ms]) => line(name, ms)),
    line('total', timings.totalMs),
  ].join('\n');
}
