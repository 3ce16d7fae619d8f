/** Stream emulator logs with a colour per function (TTY only), masking secrets. */
import { LineBatcher, renderHuman, renderJson, type LogSink } from '../emulator/index.js';

const palette = [36, 35, 33, 32, 34, 91, 96, 95];

export function streamLogs(
  sink: LogSink,
  out: NodeJS.WriteStream,
  options: { json: boolean; mask: (s: string) => string },
): () => void {
  const colors = new Map<string, number>();
  const colorFor = (name: string) => {
    if (!colors.has(name)) colors.set(name, palette[colors.size % palette.length]!);
    return colors.get(name)!;
  };
  // An invocation's lines (START, output, END, REPORT) leave in one write, not one write each:
  // writes to a pipe or terminal are synchronous system calls on the invocation path.
  const batch = new LineBatcher(out);
  const flushOnExit = () => batch.flush();
  process.once('exit', flushOnExit);
  const unsubscribe = sink.subscribe((event) => {
    if (options.json) return batch.write(options.mask(renderJson(event)));
    const line = options.mask(renderHuman(event, { prefixWidth: 8 }));
    batch.write(
      out.isTTY
        ? `\x1b[${colorFor(event.functionName)}m${line.replace(/^(\[[^\]]*\])/, '$1\x1b[0m')}`
        : line,
    );
  });
  return () => {
    unsubscribe();
    process.off('exit', flushOnExit);
    batch.flush();
  };
}
