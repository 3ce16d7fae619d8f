/**
 * Package sources into the build container, by copy (no bind mounts, as with the CA bundle).
 * Sources inside the project travel with the dependency inputs under the same layout, so relative
 * paths in the requirements files keep working untouched. Sources outside the project go to
 * packageSourcesDir. Every value that names a host path where the layouts differ (absolute paths,
 * PIP_* variables, pip.conf, installArgs) is rewritten to the container's path. What is shipped,
 * and every rewritten value, is hashed for the dependency cache key: a changed wheel reinstalls.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { devNull } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { envPipConfig, packageSourcesDir, pipConfigHome, sourceDir } from '../build-paths.js';
import { hashInputs, type TarInput } from '../tar-files.js';
import { hashHostFiles, listHostFiles, type HostFile } from './host-files.js';
import type { PipSources } from './find-sources.js';
import { rewritePipConfig } from './pip-config.js';
import { insideProject, type SourceRef } from './source-ref.js';

export interface ShippedSources {
  /** The rewritten pip configuration files at their container paths (no leading slash). */
  files: TarInput[];
  /** Package sources from outside the project, streamed from disk when installing. */
  hostFiles: HostFile[];
  /** Requirements files that name host paths, rewritten: project-relative name → text. */
  requirementTexts: Map<string, string>;
  env: Record<string, string>;
  installArgs: string[];
  /** Hash of the files, environment and installArgs (the inputs' hash covers requirement texts). */
  sha256: string;
}

export async function shipPipSources(
  root: string,
  sources: PipSources,
  installArgs: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ShippedSources> {
  const outside = [
    ...new Set(
      sources.refs.map((r) => r.hostPath).filter((p) => insideProject(root, p) === undefined),
    ),
  ].sort();
  const place = (hostPath: string) => {
    const rel = insideProject(root, hostPath);
    if (rel !== undefined) return rel ? `${sourceDir}/${rel}` : sourceDir;
    return `${packageSourcesDir}/${outside.indexOf(hostPath)}-${basename(hostPath)}`;
  };
  const valueFor = (ref: SourceRef) =>
    ref.url ? pathToFileURL(place(ref.hostPath)).href : place(ref.hostPath);
  const rewrite = (text: string, refs: SourceRef[]) =>
    refs.reduce((result, ref) => replaceValue(result, ref.written, valueFor(ref)), text);
  const requirementTexts = new Map<string, string>();
  for (const file of sources.requirementFiles) {
    // Relative paths inside the project resolve the same in the container: left as written.
    const refs = sources.refs.filter(
      (r) =>
        r.origin.kind === 'requirements' &&
        r.origin.file === file &&
        (!r.relative || insideProject(root, r.hostPath) === undefined),
    );
    if (refs.length)
      requirementTexts.set(file, rewrite(await readFile(join(root, file), 'utf8'), refs));
  }

  const shippedEnv: Record<string, string> = {};
  for (const ref of sources.refs) {
    if (ref.origin.kind !== 'env') continue;
    const { name } = ref.origin;
    shippedEnv[name] = rewrite(shippedEnv[name] ?? env[name] ?? '', [ref]);
  }

  const files: TarInput[] = [];
  for (const config of sources.configs) {
    const refs = sources.refs.filter(
      (r) => r.origin.kind === 'config' && r.origin.file === config.hostPath,
    );
    const content = rewritePipConfig(config.text, (_option, value) => {
      const ref = refs.find((r) => r.written === value);
      return ref && valueFor(ref);
    });
    const at = config.role === 'project' ? `${pipConfigHome}/pip/pip.conf` : envPipConfig;
    files.push({ name: at.slice(1), content: Buffer.from(content), executable: false });
    if (config.role === 'project') shippedEnv.XDG_CONFIG_HOME = pipConfigHome;
    else shippedEnv.PIP_CONFIG_FILE = envPipConfig;
  }
  if (env.PIP_CONFIG_FILE === devNull) shippedEnv.PIP_CONFIG_FILE = devNull;

  const argRefs = sources.refs.filter((r) => r.origin.kind === 'install-args');
  const shippedArgs = installArgs.map((arg) => rewrite(arg, argRefs));

  const hostFiles: HostFile[] = [];
  for (const hostPath of outside)
    hostFiles.push(...(await listHostFiles(hostPath, place(hostPath).slice(1))));

  const sha256 = createHash('sha256')
    .update(hashInputs(files))
    .update(await hashHostFiles(hostFiles))
    .update(JSON.stringify({ env: shippedEnv, installArgs: shippedArgs }))
    .digest('hex');
  return { files, hostFiles, requirementTexts, env: shippedEnv, installArgs: shippedArgs, sha256 };
}

/**
 * `written` replaced by `value` where it stands as a whole value: after the start, a space, `=`,
 * `@` or a short option (-f/abs), and before a space or the end.
 */
export function replaceValue(text: string, written: string, value: string): string {
  const escaped = written.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(
    new RegExp(`(?<=^|[\\s=@]|(?:^|\\s)-[a-z])${escaped}(?=\\s|$)`, 'gm'),
    () => value,
  );
}
