/**
 * How a debugged function's container starts its runtime under a debugger (`--debug`), beside how
 * it starts without one (container-bootstrap.ts). The debugger listens on 0.0.0.0 inside the
 * container, on the same port number that is published on this host's 127.0.0.1 only: Node's
 * inspector builds its WebSocket URLs from the Host header, so the numbers must agree.
 *
 * - Node: `--inspect` (`--inspect-brk` to wait) on lbuild's bootstrap's command line; AWS's images
 *   start node through their entrypoint, so NODE_OPTIONS carries it there (as the SAM CLI does).
 * - Python: debugpy, from the debug layer mounted read-only at /opt/lbuild-debug (never in the
 *   zip or /var/task), runs the bootstrap (lbuild's, or AWS's `-m awslambdaric`).
 */
import type { FunctionDebug } from '../../../config/resolved-project.js';
import type { Language } from '../../../runtimes/catalog.js';
import { bootstrapArgs } from '../core/bootstrap.js';
import type { BaseImageFacts } from './code-image.js';

/** Where the debug layer (debugpy and its pydevd) appears in a Python worker's container. */
export const debugLayerMount = '/opt/lbuild-debug';
const debugpyPath = `${debugLayerMount}/python`;

export interface DebugLaunch {
  entrypoint: string[];
  /** Added to (or, for PYTHONPATH, appended to) the function's environment. */
  env: Record<string, string>;
  binds: string[];
  publish: Array<{ container: number; host: number }>;
}

export function debugLaunch(input: {
  debug: FunctionDebug;
  language: Language;
  /** lbuild's bootstrap folder in the container; undefined when the image's own client runs. */
  bootstrapDir: string | undefined;
  base: BaseImageFacts;
  env: Record<string, string>;
  /** The debug layer on this host (Python only). */
  layerDir: string | undefined;
}): DebugLaunch {
  const { debug, language, bootstrapDir, base } = input;
  const publish = [{ container: debug.port, host: debug.port }];
  const listen = `0.0.0.0:${debug.port}`;
  if (language === 'nodejs') {
    const inspect = `--inspect${debug.wait ? '-brk' : ''}=${listen}`;
    if (bootstrapDir)
      return {
        entrypoint: ['node', inspect, ...bootstrapArgs(language, bootstrapDir)],
        env: {},
        binds: [],
        publish,
      };
    const nodeOptions = [input.env.NODE_OPTIONS, inspect].filter(Boolean).join(' ');
    return { entrypoint: base.entrypoint, env: { NODE_OPTIONS: nodeOptions }, binds: [], publish };
  }
  if (!input.layerDir) throw new Error('a debugged Python function needs the debug layer');
  const debugpy = [
    '-m',
    'debugpy',
    '--listen',
    listen,
    ...(debug.wait ? ['--wait-for-client'] : []),
  ];
  // Appended, so debugpy never shadows a module of the function's own.
  const pythonPath = [input.env.PYTHONPATH, debugpyPath].filter(Boolean).join(':');
  // Python 3.11+ freezes stdlib modules, which pydevd says may make it miss breakpoints (and
  // prints so into the function's log): off, as pydevd asks. Older Pythons ignore the option.
  const unfrozen = ['-X', 'frozen_modules=off'];
  const entrypoint = bootstrapDir
    ? ['python3', '-B', ...unfrozen, ...debugpy, ...bootstrapArgs(language, bootstrapDir).slice(1)]
    : // AWS's images: their runtime client, as /var/runtime/bootstrap starts it. (Untested here.)
      ['/var/lang/bin/python3', ...unfrozen, ...debugpy, '-m', 'awslambdaric'];
  return {
    entrypoint,
    env: { PYTHONPATH: pythonPath, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
    binds: [`${input.layerDir}:${debugLayerMount}:ro`],
    publish,
  };
}
