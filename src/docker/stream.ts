/**
 * Docker's JSON-lines progress streams (build, pull, import). The engine reports a failed build as a
 * line with `errorDetail` while the HTTP status stays 200: this turns that into a rejected promise.
 */
import type { Readable } from 'node:stream';

export interface ProgressEvent {
  stream?: string;
  status?: string;
  progress?: string;
  id?: string;
  aux?: { ID?: string };
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

export class DockerStreamError extends Error {
  constructor(
    message: string,
    readonly outputTail: string[],
  ) {
    super(message);
  }
}

/** Consume a progress stream; resolve with all events, reject on the first error event. */
export async function followProgress(
  stream: Readable,
  onEvent: (event: ProgressEvent) => void = () => {},
): Promise<ProgressEvent[]> {
  const events: ProgressEvent[] = [];
  const tail: string[] = [];
  let buffered = '';
  for await (const chunk of stream) {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (!line) continue;
      const event = JSON.parse(line) as ProgressEvent;
      events.push(event);
      if (event.stream) {
        tail.push(...event.stream.split('\n').filter(Boolean));
        tail.splice(0, Math.max(0, tail.length - 30));
      }
      if (event.error || event.errorDetail) {
        throw new DockerStreamError(
          event.errorDetail?.message ?? event.error ?? 'unknown Docker error',
          tail,
        );
      }
      onEvent(event);
    }
  }
  return events;
}
