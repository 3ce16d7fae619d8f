/**
 * A minimal Debug Adapter Protocol client: Content-Length framed JSON over TCP, as VS Code speaks
 * it to debugpy. Requests get their responses by `request_seq`; events are kept so a test can wait
 * for one that came before it asked.
 */
import { connect, type Socket } from 'node:net';

export interface DapMessage {
  seq: number;
  type: 'request' | 'response' | 'event';
  command?: string;
  event?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  body?: Record<string, unknown>;
}

export class DapClient {
  private seq = 0;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, (message: DapMessage) => void>();
  private readonly events: DapMessage[] = [];
  private readonly eventWaiters: Array<{ name: string; resolve: (m: DapMessage) => void }> = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      for (const settle of this.pending.values())
        settle({ seq: 0, type: 'response', success: false, message: 'connection closed' });
      this.pending.clear();
    });
  }

  /**
   * Connect and initialize, retrying while the debugger is not listening yet (its worker is still
   * starting): Docker's port proxy accepts a connection even then, and closes it at once.
   */
  static async initialize(
    port: number,
    args: Record<string, unknown>,
    timeoutMs = 60_000,
  ): Promise<DapClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let client: DapClient | undefined;
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(port, '127.0.0.1', () => resolve(s));
          s.once('error', reject);
        });
        client = new DapClient(socket);
        await client.send('initialize', args);
        return client;
      } catch (error) {
        client?.close();
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  /** Send a request; `response` resolves with its response (rejects when it failed). */
  send(command: string, args: Record<string, unknown> = {}): Promise<DapMessage> {
    const seq = ++this.seq;
    const body = Buffer.from(JSON.stringify({ seq, type: 'request', command, arguments: args }));
    this.socket.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
    return new Promise((resolve, reject) =>
      this.pending.set(seq, (message) =>
        message.success
          ? resolve(message)
          : reject(new Error(`${command} failed: ${message.message ?? 'no message'}`)),
      ),
    );
  }

  /** The first event of this name not yet taken (one that already came counts). */
  event(name: string, timeoutMs = 60_000): Promise<DapMessage> {
    const index = this.events.findIndex((e) => e.event === name);
    if (index >= 0) return Promise.resolve(this.events.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "${name}" event within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.eventWaiters.push({
        name,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(
        /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1],
      );
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const message = JSON.parse(
        this.buffer.subarray(start, start + length).toString(),
      ) as DapMessage;
      this.buffer = this.buffer.subarray(start + length);
      this.dispatch(message);
    }
  }

  private dispatch(message: DapMessage): void {
    if (message.type === 'response') {
      this.pending.get(message.request_seq!)?.(message);
      this.pending.delete(message.request_seq!);
    } else if (message.type === 'event') {
      const waiter = this.eventWaiters.findIndex((w) => w.name === message.event);
      if (waiter >= 0) this.eventWaiters.splice(waiter, 1)[0]!.resolve(message);
      else this.events.push(message);
    }
  }
}
