/**
 * A minimal Chrome DevTools Protocol client over undici's WebSocket, as Chrome DevTools and VS
 * Code's js-debug speak it to Node's inspector: the target from /json/list, then JSON commands
 * with ids and events by method.
 */
import { WebSocket } from 'undici';

export interface CdpEvent {
  method: string;
  params: Record<string, unknown>;
}

export class CdpClient {
  private id = 0;
  private readonly pending = new Map<
    number,
    { resolve: (result: Record<string, unknown>) => void; reject: (error: Error) => void }
  >();
  private readonly events: CdpEvent[] = [];
  private readonly waiters: Array<{ method: string; resolve: (event: CdpEvent) => void }> = [];

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (message) => {
      const data = JSON.parse(String(message.data)) as {
        id?: number;
        result?: Record<string, unknown>;
        error?: { message: string };
        method?: string;
        params?: Record<string, unknown>;
      };
      if (data.id !== undefined) {
        const pending = this.pending.get(data.id);
        this.pending.delete(data.id);
        if (data.error) pending?.reject(new Error(data.error.message));
        else pending?.resolve(data.result ?? {});
      } else if (data.method) {
        const event = { method: data.method, params: data.params ?? {} };
        const waiter = this.waiters.findIndex((w) => w.method === event.method);
        if (waiter >= 0) this.waiters.splice(waiter, 1)[0]!.resolve(event);
        else this.events.push(event);
      }
    });
  }

  /** The inspector's first target, retrying while it is not listening yet. */
  static async connect(port: number, timeoutMs = 60_000): Promise<CdpClient> {
    const deadline = Date.now() + timeoutMs;
    let url: string | undefined;
    while (!url) {
      try {
        const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
          webSocketDebuggerUrl: string;
        }>;
        url = list[0]?.webSocketDebuggerUrl;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (!url) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve());
      socket.addEventListener('error', () => reject(new Error(`could not open ${url}`)));
    });
    return new CdpClient(socket);
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = ++this.id;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  /** The first event of this method not yet taken (one that already came counts). */
  event(method: string, timeoutMs = 60_000): Promise<CdpEvent> {
    const index = this.events.findIndex((e) => e.method === method);
    if (index >= 0) return Promise.resolve(this.events.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${method} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        method,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      });
    });
  }

  /** Every event of this method received so far and not taken (e.g. Debugger.scriptParsed). */
  received(method: string): CdpEvent[] {
    return this.events.filter((e) => e.method === method);
  }

  close(): void {
    this.socket.close();
  }
}
