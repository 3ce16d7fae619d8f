import type { IncomingMessage } from 'node:http';

/** A header's value; names are case-insensitive and repeated headers are comma-joined. */
export function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}
