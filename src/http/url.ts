/** How a listening server is addressed in the URLs lbuild prints and hands to clients. */

/** "http://host:port", with an IPv6 host in brackets. */
export function httpUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** A wildcard bind address (0.0.0.0, ::) is not something a browser can open: show loopback. */
export function reachableHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}
