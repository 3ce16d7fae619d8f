/** Emulator logs for a terminal or a pipe: a colour per function (TTY only), secrets masked. */
import {
  LineBatcher,
  renderHuman,
  renderJson,
  type LogEvent,
  type LogSink,
} from '../emulator/index.js';

const palette = [36, 35, 33, 32, 34, 91, 96, 95];

/** How one event becomes one printed line: JSON, or readable text with a coloured prefix on a TTY. */
export function logLineFormatter(options: {
  json: boolean;
  tty: boolean;
  mask: (s: string) => string;
}): (event: LogEvent) => string {
  const colors = new Map<string, number>();
  const colorFor = (name: string) => {
    if (!colors.has(name)) colors.set(name, palette[colors.size % palette.length]!);
    return colors.get(name)!;
  };
  return (event) => {
    if (options.json) return options.mask(renderJson(event));
    const line = options.mask(renderHuman(event, { prefixWidth: 8 }));
    return options.tty
      ? `\x1b[${colorFor(event.functionName)}m${line.replace(/^(\[[^\]]*\])/, '$1\x1b[0m')}`
      : line;
  };
}

export function streamLogs(
  sink: LogSink,
  out: NodeJS.WriteStream,
  options: { json: boolean; mask: (s: string) => string },
): () => void {
  const format = logLineFormatter({ ...options, tty: out.isTTY === true });
  // An invocation's lines (START, output, END, REPORT) leave in one write, not one write each:
  // writes to a pipe or terminal are synchronous system calls on the invocation path.
  const batch = new LineBatcher(out);
  const flushOnExit = () => batch.flush();
  process.once('exit', flushOnExit);
  const unsubscribe = sink.subscribe((event) => batch.write(format(event)));
  return () => {
    unsubscribe();
    process.off('exit', flushOnExit);
    batch.flush();
  };
}
