// The HTTP side of lbuild's Node bootstrap: the Runtime API calls over one kept-alive socket.
import http from 'node:http';

const errorTypeHeader = 'Lambda-Runtime-Function-Error-Type';

export class RuntimeClient {
  constructor(address) {
    const colon = address.lastIndexOf(':');
    this.hostname = address.slice(0, colon);
    this.port = Number(address.slice(colon + 1));
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  request(method, path, body, headers = {}) {
    return new Promise((resolve, reject) => {
      const request = http.request(
        { hostname: this.hostname, port: this.port, method, path: `/2018-06-01${path}`, agent: this.agent, headers: body ? { ...headers, 'Content-Length': body.length } : headers },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  async next() {
    for (;;) {
      const response = await this.request('GET', '/runtime/invocation/next');
      if (response.status === 200) {
        const h = response.headers;
        return {
          requestId: h['lambda-runtime-aws-request-id'],
          deadlineMs: Number(h['lambda-runtime-deadline-ms'] ?? 0),
          functionArn: h['lambda-runtime-invoked-function-arn'],
          traceId: h['lambda-runtime-trace-id'],
          clientContext: h['lambda-runtime-client-context'],
          cognitoIdentity: h['lambda-runtime-cognito-identity'],
          body: response.body,
        };
      }
      process.stderr.write(`lbuild bootstrap: /next answered ${response.status}: ${response.body.toString().slice(0, 200)}\n`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async postResponse(requestId, payload) {
    const response = await this.request('POST', `/runtime/invocation/${encodeURIComponent(requestId)}/response`, Buffer.from(payload, 'utf8'), { 'Content-Type': 'application/json' });
    // 413 (payload too large) ends the invocation on Lambda's side; report it and go on.
    if (response.status !== 202) process.stderr.write(`lbuild bootstrap: response rejected (${response.status}): ${response.body.toString().slice(0, 300)}\n`);
  }

  postError(requestId, body) {
    return this.postErrorTo(`/runtime/invocation/${encodeURIComponent(requestId)}/error`, body);
  }

  postInitError(body) {
    return this.postErrorTo('/runtime/init/error', body);
  }

  async postErrorTo(path, body) {
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    const response = await this.request('POST', path, payload, { 'Content-Type': 'application/json', [errorTypeHeader]: body.errorType });
    if (response.status !== 202) process.stderr.write(`lbuild bootstrap: error report rejected (${response.status}): ${response.body.toString().slice(0, 300)}\n`);
  }
}
