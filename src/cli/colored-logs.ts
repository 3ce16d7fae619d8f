/** Stream emulator logs with a colour per function (TTY only), masking secrets. */
import { renderHuman, renderJson, type LogSink } from '../emulator/index.js';

const palette = [36, 35, 33, 32, 34, 91, 96, 95];

export function streamLogs(sink: LogSink, out: NodeJS.WriteStream, options: { json: boolean; mask: (s: string) => string }): () => void {
  const colors = new Map<string, number>();
  const colorFor = (name: string) => {
    if (!colors.has(name)) colors.set(name, palette[colors.size % palette.length]!);
    return colors.get(name)!;
  };
  return sink.subscribe((event) => {
    if (options.json) return void out.write(`${options.mask(renderJson(event))}\n`);
    const line = options.mask(renderHuman(event, { prefixWidth: 8 }));
    out.write(out.isTTY ? `\x1b[${colorFor(event.functionName)}m${line.replace(/^(\[[^\]]*\])/, '$1\x1b[0m')}\n` : `${line}\n`);
  });
}
