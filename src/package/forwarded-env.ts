/**
 * What the build container inherits from the host so installs work behind corporate proxies and
 * TLS-inspecting gateways: proxy variables, pip and npm settings, and the host's CA bundle (copied
 * in as a file, since no bind mounts are used). None of these change what gets installed, so none
 * of them are part of the dependency cache key; the local package sources PIP_* variables name do,
 * and are keyed with their contents by pip-sources/ship-sources.ts.
 */
import { existsSync, readFileSync } from 'node:fs';

const forwardedNames =
  /^(HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy|PIP_[A-Z0-9_]+|npm_config_[a-z0-9_]+|NPM_CONFIG_[A-Z0-9_]+)$/;
// Host paths mean nothing inside the container; the CA bundle is re-pointed by the install helper,
// and the package sources PIP_FIND_LINKS, PIP_INDEX_URL and PIP_CONFIG_FILE name are copied in and
// re-pointed by pip-sources/ship-sources.ts (which overrides those values when they are local).
// npm also exports these to every script it runs (lbuild under `npm test` or `npm run`): the
// host's npm, node-gyp and Node headers, none of which is the build image's.
const hostOnlySettings = new Set([
  'PIP_CERT',
  'PIP_CONFIG_FILE',
  'PIP_CACHE_DIR',
  ...[
    'cafile',
    'cache',
    'prefix',
    'userconfig',
    'globalconfig',
    'nodedir',
    'node_gyp',
    'global_prefix',
    'local_prefix',
    'npm_version',
    'user_agent',
    'init_module',
  ].flatMap((name) => [`npm_config_${name}`, `NPM_CONFIG_${name.toUpperCase()}`]),
]);

export const containerCaBundlePath = '/etc/lbuild/ca-bundle.crt';

export function forwardedEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !forwardedNames.test(name) || hostOnlySettings.has(name)) continue;
    // `npm run` exports unset settings as empty strings (npm_config_allow_scripts=): forwarded,
    // they would override the project's own .npmrc and package.json in the container.
    if (value === '' && /^npm_config_/i.test(name)) continue;
    forwarded[name] = value;
  }
  return forwarded;
}

/** The host CA bundle to trust inside the container, if the host has one. */
export function hostCaBundle(
  env: NodeJS.ProcessEnv = process.env,
): { path: string; content: Buffer } | undefined {
  const candidates = [
    env.LBUILD_CA_BUNDLE,
    env.NODE_EXTRA_CA_CERTS,
    env.SSL_CERT_FILE,
    env.REQUESTS_CA_BUNDLE,
    env.PIP_CERT,
    '/etc/ssl/certs/ca-certificates.crt',
  ];
  for (const path of candidates) {
    if (path && existsSync(path)) return { path, content: readFileSync(path) };
  }
  return undefined;
}
