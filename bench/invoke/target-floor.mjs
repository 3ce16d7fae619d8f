#!/usr/bin/env node
// The floor: a bare node:http server answering "hello" on loopback, in its own process.
import { createServer } from 'node:http';

const body = Buffer.from('hello');
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
if (!process.send)
  throw new Error('target-floor.mjs reports over IPC: run.mjs starts it with fork()');
const send = process.send.bind(process);
server.listen(0, '127.0.0.1', () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  send({ url: `http://127.0.0.1:${port}` });
});
process.on('message', (message) => {
  if (message === 'close') {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  }
});
