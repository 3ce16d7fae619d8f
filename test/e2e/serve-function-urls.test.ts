/**
 * `lbuild serve` with function URLs, through the built CLI and container workers: each URL on its
 * own port, printed as "function URL <name>: <url>" and kept in --json / the state file; a NONE URL
 * answers undici, an AWS_IAM URL answers a request signed with lbuild's local credentials and
 * refuses an unsigned one (its RESPONSE_STREAM mode answers a Python handler in one piece).
 * Fixed ports 4210-4219 (other work's tests run beside these).
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerGate } from '../support/gates.js';
import { signedHeaders } from '../unit/function-url/sign.js';

const gate = await dockerGate();

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));
const env = {
  ...process.env,
  LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline',
  AWS_REGION: 'us-east-1',
};
const apiPort = 4210;
const publicPort = 4212;
const privatePort = 4213;

function lbuild(args: string[]) {
  return execa('node', [cli, ...args], { env, reject: false, all: true });
}

describe.skipIf(gate.skipReason)('lbuild serve with function URLs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-urls-'));
  writeFileSync(
    join(dir, 'app.py'),
    [
      'def handler(event, context):',
      '    return {"path": event["rawPath"], "context": event["requestContext"]}',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'lbuild.json'),
    JSON.stringify({
      name: 'urls',
      runtime: 'python3.11',
      api: { port: apiPort },
      functions: {
        public: { handler: 'app.handler', url: { authType: 'NONE', port: publicPort } },
        private: {
          handler: 'app.handler',
          url: { authType: 'AWS_IAM', invokeMode: 'RESPONSE_STREAM', port: privatePort },
        },
        // No url.port: the first free port from 9100.
        other: { handler: 'app.handler', url: { authType: 'NONE' } },
      },
    }),
  );

  afterAll(async () => {
    await lbuild(['down', dir]);
  });

  it('serves each URL on its own port and says where', async () => {
    const started = await lbuild(['serve', dir, '--detach', '--no-watch', '--json']);
    expect(started.exitCode, started.all).toBe(0);
    const state = JSON.parse(started.stdout) as { functionUrls: Record<string, string> };
    expect(state.functionUrls.public).toBe(`http://127.0.0.1:${publicPort}/`);
    expect(state.functionUrls.private).toBe(`http://127.0.0.1:${privatePort}/`);
    expect(state.functionUrls.other).toMatch(/^http:\/\/127\.0\.0\.1:91\d\d\/$/);
    expect(started.stderr).toContain(`function URL public: http://127.0.0.1:${publicPort}/`);

    const open = await request(`http://127.0.0.1:${publicPort}/hello?x=1`);
    expect(open.statusCode).toBe(200);
    const body = (await open.body.json()) as { path: string; context: any };
    expect(body.path).toBe('/hello');
    expect(body.context.accountId).toBe('anonymous');
    expect(body.context.domainName).toMatch(/^[a-z2-7]{32}\.lambda-url\.us-east-1\.on\.aws$/);

    const unsigned = await request(`http://127.0.0.1:${privatePort}/`);
    expect(unsigned.statusCode).toBe(403);
    await unsigned.body.dump();

    const headers = await signedHeaders({ host: `127.0.0.1:${privatePort}`, path: '/report' });
    const signed = await request(`http://127.0.0.1:${privatePort}/report`, { headers });
    expect(signed.statusCode).toBe(200);
    const signedBody = (await signed.body.json()) as { context: any };
    expect(signedBody.context.authorizer.iam.accessKey).toBe('ASIAXXXXLBUILDLOCAL00');

    const log = readFileSync(join(dir, '.lbuild', 'serve', 'serve.log'), 'utf8');
    expect(log).toContain('the request is not signed');
  });
});
