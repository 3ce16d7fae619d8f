/**
 * Standalone entry of the static site, without the lbuild CLI, so it can run as its own process or as
 * the static container of the compose stack:
 *
 *   node dist/serve/static/main.js [root] [--root DIR] [--port N] [--host H] [--config JSON|@file]
 *
 * Environment (argv wins over env, env over the config JSON):
 *   LBUILD_STATIC_ROOT, LBUILD_STATIC_PORT, LBUILD_STATIC_HOST,
 *   LBUILD_STATIC_CONFIG  JSON like {"spa": true, "errorDocument": "404.html", "cacheControl": {...}},
 *                         or "@/path/to/file.json"
 *
 * Stops cleanly on SIGINT/SIGTERM (docker stop).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, toLbuildError, UserError } from '../../errors.js';
import { stderrReporter } from '../../log.js';
import { parsePort, parseStaticSiteOptions, type StaticSiteOptions } from './options.js';
import { startStaticServer } from './server.js';

export function parseStaticMainArgs(argv: string[], env: NodeJS.ProcessEnv): StaticSiteOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        root: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        config: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UserError((error as Error).message, {
      hint: 'Usage: main.js [root] [--root DIR] [--port N] [--host H] [--config JSON|@file]',
    });
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UserError(
      `expected at most one root folder, got ${positionals.length}: ${positionals.join(' ')}`,
      {
        hint: 'Pass the frontend build folder once, e.g. main.js dist --port 8080.',
      },
    );
  }

  const configText = values.config ?? env.LBUILD_STATIC_CONFIG;
  const configSource = values.config !== undefined ? '--config' : 'LBUILD_STATIC_CONFIG';
  const fromConfig = configText
    ? parseStaticSiteOptions(readConfig(configText, configSource), configSource)
    : {};

  const root = positionals[0] ?? values.root ?? env.LBUILD_STATIC_ROOT ?? fromConfig.root;
  if (!root) {
    throw new UserError('no frontend folder given', {
      hint: 'Pass it as the first argument, --root DIR, LBUILD_STATIC_ROOT, or "root" in the config JSON.',
    });
  }
  const portText = values.port ?? env.LBUILD_STATIC_PORT;
  const options: StaticSiteOptions = { ...fromConfig, root };
  if (portText !== undefined)
    options.port = parsePort(portText, values.port !== undefined ? '--port' : 'LBUILD_STATIC_PORT');
  const host = values.host ?? env.LBUILD_STATIC_HOST;
  if (host) options.host = host;
  return options;
}

function readConfig(text: string, source: string): unknown {
  const trimmed = text.trim();
  let json = trimmed;
  if (trimmed.startsWith('@')) {
    try {
      json = readFileSync(trimmed.slice(1), 'utf8');
    } catch (error) {
      throw new ConfigError(
        source,
        `cannot read ${trimmed.slice(1)}: ${(error as Error).message}`,
        'Point it at a readable JSON file.',
      );
    }
  }
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new ConfigError(
      source,
      `is not valid JSON: ${(error as Error).message}`,
      'Write a JSON object, e.g. {"spa": true}.',
    );
  }
}

export async function runStaticMain(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const reporter = stderrReporter();
  try {
    const options = parseStaticMainArgs(argv, env);
    const server = await startStaticServer(options, reporter);
    reporter.info(`static site: serving ${options.root} at ${server.url}`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  } catch (error) {
    const failure = toLbuildError(error);
    process.stderr.write(
      `error: ${failure.message}\n${failure.hint ? `hint: ${failure.hint}\n` : ''}`,
    );
    return failure.exitCode;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await runStaticMain(process.argv.slice(2), process.env);
}
