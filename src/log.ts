/**
 * Progress and messages for humans go to stderr; results go to stdout (and only with --json are
 * they JSON). Library code reports through a Reporter so it never writes to the terminal itself.
 */
export interface Reporter {
  /** A stage begins; the returned function ends it and returns its duration in ms. */
  stage(name: string, detail?: string): () => number;
  info(message: string): void;
  warn(message: string): void;
  /** Raw output from a tool (pip, npm); shown only in verbose mode. */
  toolOutput(line: string): void;
}

export const silentReporter: Reporter = {
  stage: () => {
    const start = performance.now();
    return () => performance.now() - start;
  },
  info: () => {},
  warn: () => {},
  toolOutput: () => {},
};

export interface StderrReporterOptions {
  verbose?: boolean;
  stream?: NodeJS.WritableStream;
}

/** Plain lines, no cursor tricks: the same output reads well in a terminal and in a CI log. */
export function stderrReporter(options: StderrReporterOptions = {}): Reporter {
  const out = options.stream ?? process.stderr;
  const write = (line: string) => out.write(`${line}\n`);
  return {
    stage(name, detail) {
      const start = performance.now();
      write(`▸ ${name}${detail ? ` ${detail}` : ''}`);
      return () => {
        const ms = performance.now() - start;
        // Named again: stages run in parallel (image builds), so the line before may be another's.
        write(`  ✓ ${name}${detail ? ` ${detail}` : ''} (${formatMs(ms)})`);
        return ms;
      };
    },
    info: (message) => write(message),
    warn: (message) => write(`warning: ${message}`),
    toolOutput: (line) => {
      if (options.verbose) write(`  │ ${line}`);
    },
  };
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
