// A Lambda Web Function: a plain Express server. Lambda starts it with `node server.js` and sends
// HTTP to AWS_LAMBDA_HTTP_ENDPOINT ("0.0.0.0:3000" inside the environment); many requests share
// one process, so this is ordinary server code, with no handler and no adapter.
const express = require('express');

const [host, port] = (process.env.AWS_LAMBDA_HTTP_ENDPOINT ?? '127.0.0.1:3000').split(':');
const frontend = process.env.FRONTEND_ORIGIN ?? 'http://127.0.0.1:8080';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const app = express();

// The frontend is served from another origin (S3/CloudFront in production, lbuild's static host
// locally), so the app answers CORS itself, as any Express app behind its own URL would.
app.use((req, res, next) => {
  res.set('access-control-allow-origin', frontend);
  next();
});

app.get('/api/hello', (req, res) => res.json({ hello: req.query.name ?? 'world' }));

// Server-sent events: each event leaves as soon as it is written. Lambda passes the stream through
// unbuffered, and a client that goes away closes the request.
app.get('/api/clock', async (req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let open = true;
  req.on('close', () => (open = false));
  const count = Math.min(Number(req.query.count ?? 5), 60);
  for (let i = 0; i < count && open; i++) {
    res.write(`data: ${JSON.stringify({ tick: i, at: new Date().toISOString() })}\n\n`);
    await sleep(Number(req.query.gapMs ?? 500));
  }
  res.end();
});

app.listen(Number(port), host, () => console.log(`listening on ${host}:${port}`));
