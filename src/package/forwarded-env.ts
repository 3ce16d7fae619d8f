/**
 * What the build container inherits from the host so installs work behind corporate proxies and
 * TLS-inspecting gateways: proxy variables, pip and npm settings, and the host's CA bundle (copied
 * in as a file, since no bind mounts are used). None of these change what gets installed, so none
 * of them are part of the dependency cache key.
 */
import { existsSync, readFileSync } from 'node:fs';

const forwardedNames = /^(HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy|PIP_[A-Z0-9_]+|npm_config_[a-z0-9_]+|NPM_CONFIG_[A-Z0-9_]+)$/;
// Host paths mean nothing inside the container; the CA bundle is re-pointed by the install helper.
const hostPathSettings = new Set(['PIP_CERT', 'PIP_FIND_LINKS', 'PIP_CACHE_DIR', 'npm_config_cafile', 'NPM_CONFIG_CAFILE', 'npm_config_cache', 'npm_config_prefix', 'npm_config_userconfig', 'npm_config_globalconfig']);

export const containerCaBundlePath = '/etc/lbuild/ca-bundle.crt';

export function forwardedEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !forwardedNames.test(name) || hostPathSettings.has(name)) continue;
    forwarded[name] = value;
  }
  return forwarded;
}

/** The host CA bundle to trust inside the container, if the host has one. */
export function hostCaBundle(env: NodeJS.ProcessEnv = process.env): { path: string; content: Buffer } | undefined {
  const candidates = [env.LBUILD_CA_BUNDLE, env.NODE_EXTRA_CA_CERTS, env.SSL_CERT_FILE, env.REQUESTS_CA_BUNDLE, env.PIP_CERT, '/etc/ssl/certs/ca-certificates.crt'];
  for (const path of candidates) {
    if (path && existsSync(path)) return { path, content: readFileSync(path) };
  }
  return undefined;
}
