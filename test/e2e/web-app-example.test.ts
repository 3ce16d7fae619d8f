/**
 * examples/web-app as a user serves it: an Express server as a Lambda Web Function (Express from
 * the npm registry, in the zip) whose server-sent events arrive one by one, and a Node function
 * behind a Function URL in RESPONSE_STREAM mode whose words arrive as they are written; the
 * frontend is on the static host. Ports 4500-4509 (tests of other work run beside these).
 */
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerGate } from '../support/gates.js';

const gate = await dockerGate();

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));
const example = fileURLToPath(new URL('../../examples/web-app/', import.meta.url));
const env = { ...process.env, LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline' };
const ports = { api: 4500, web: 4502, url: 4503, frontend: 4504 };

function lbuild(args: string[]) {
  return execa('node', [cli, ...args], { env, reject: false, all: true });
}

/** The body's chunks with their arrival times. */
async function readTimed(body: AsyncIterable<Buffer>) {
  const seen: Array<{ at: number; text: string }> = [];
  for await (const chunk of body) seen.push({ at: Date.now(), text: chunk.toString() });
  return seen;
}

describe.skipIf(gate.skipReason)('examples/web-app: a web function and a streaming URL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-web-app-'));

  beforeAll(async () => {
    cpSync(example, dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, 'lbuild.json'), 'utf8'));
    config.name = 'web-app-e2e';
    config.api = { port: ports.api };
    config.functions.web.port = ports.web;
    config.functions.tokens.url.port = ports.url;
    config.frontend.port = ports.frontend;
    writeFileSync(join(dir, 'lbuild.json'), JSON.stringify(config));
    const started = await lbuild(['serve', dir, '--detach', '--no-watch', '--json']);
    expect(started.exitCode, started.all).toBe(0);
  }, 300_000);

  afterAll(async () => {
    await lbuild(['down', dir]);
  });

  it('the Express web function answers, with Express from the zip', async () => {
    const response = await request(`http://127.0.0.1:${ports.web}/api/hello?name=lambda`);
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toEqual({ hello: 'lambda' });
  });

  it('its server-sent events arrive one by one, not at the end', async () => {
    const response = await request(`http://127.0.0.1:${ports.web}/api/clock?count=3&gapMs=400`);
    expect(response.headers['content-type']).toContain('text/event-stream');
    const seen = await readTimed(response.body);
    const events = seen
      .map((s) => s.text)
      .join('')
      .split('\n\n')
      .filter(Boolean);
    expect(events).toHaveLength(3);
    expect(seen.at(-1)!.at - seen[0]!.at).toBeGreaterThan(600);
  });

  it('the Function URL streams the words as the function writes them', async () => {
    const response = await request(`http://127.0.0.1:${ports.url}/?text=one%20two%20three%20four`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    const seen = await readTimed(response.body);
    expect(seen.map((s) => s.text).join('')).toBe('one two three four ');
    expect(seen.at(-1)!.at - seen[0]!.at).toBeGreaterThan(400);
  });

  it('the frontend is on the static host', async () => {
    const response = await request(`http://127.0.0.1:${ports.frontend}/`);
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toContain('Streams from Lambda');
  });
});
