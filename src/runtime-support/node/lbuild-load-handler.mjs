// Resolving "dir/module.func.nested" to a function the way aws-lambda-ric does: try module.js,
// module.mjs, module.cjs under the task root, CommonJS through require and ESM through import(),
// with Lambda's error types when that fails.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HandlerError } from './lbuild-errors.mjs';

function splitHandler(spec) {
  const handlerPart = basename(spec);
  const moduleRoot = spec.slice(0, spec.length - handlerPart.length);
  const match = /^([^.]*)\.(.*)$/.exec(handlerPart);
  if (!match || !match[1] || !match[2])
    throw new HandlerError('Runtime.MalformedHandlerName', 'Bad handler');
  return { moduleRoot, module: match[1], path: match[2] };
}

/** The nearest package.json above a .js file and whether it says "type": "module", as Node decides. */
function packageScope(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return { pkg, esm: JSON.parse(readFileSync(pkg, 'utf8')).type === 'module' };
      } catch {
        return { pkg, esm: false };
      }
    }
    if (dirname(dir) === dir) return { pkg: undefined, esm: false };
  }
}

async function loadModule(taskRoot, file) {
  let esm = file.endsWith('.mjs');
  if (file.endsWith('.js')) {
    const scope = packageScope(file);
    esm = scope.esm;
    // On Lambda nothing lies above the task root, so such a package.json cannot decide there.
    // Node decides here all the same: say so, because the handler then fails in a puzzling way.
    if (scope.esm && !isInside(scope.pkg, taskRoot)) {
      process.stderr.write(
        `lbuild bootstrap: ${scope.pkg} (outside the function's folder ${taskRoot}) says "type": "module", so Node loads ${file} as ESM here; ` +
          'on Lambda it would be CommonJS. Put a package.json with "type": "commonjs" (or "module") in the function folder, or use container workers.\n',
      );
    }
  }
  if (esm) return import(pathToFileURL(file).href);
  return createRequire(file)(file);
}

function isInside(file, dir) {
  const root = resolve(dir);
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
}

function classify(error) {
  if (error instanceof HandlerError) return error;
  if (error instanceof SyntaxError)
    return new HandlerError(
      'Runtime.UserCodeSyntaxError',
      `${error.name}: ${error.message}`,
      error,
    );
  if (error && (error.code === 'MODULE_NOT_FOUND' || error.code === 'ERR_MODULE_NOT_FOUND')) {
    return new HandlerError('Runtime.ImportModuleError', `Error: ${error.message}`, error);
  }
  // Code at module level threw: Lambda reports the error itself.
  return error;
}

export async function loadHandler(taskRoot, spec) {
  const { moduleRoot, module, path } = splitHandler(spec);
  const base = resolve(taskRoot, moduleRoot, module);
  const file = ['.js', '.mjs', '.cjs']
    .map((ext) => base + ext)
    .find((candidate) => existsSync(candidate));
  if (!file) {
    throw new HandlerError(
      'Runtime.ImportModuleError',
      `Error: Cannot find module '${moduleRoot}${module}'\nRequire stack:\n- ${new URL(import.meta.url).pathname}`,
    );
  }
  let loaded;
  try {
    loaded = await loadModule(taskRoot, file);
  } catch (error) {
    throw classify(error);
  }
  const find = (root) =>
    path
      .split('.')
      .reduce(
        (value, key) => (value === undefined || value === null ? undefined : value[key]),
        root,
      );
  let handler = find(loaded);
  // CommonJS loaded through import() keeps module.exports under "default".
  if (handler === undefined && loaded && loaded.default) handler = find(loaded.default);
  if (handler === undefined)
    throw new HandlerError('Runtime.HandlerNotFound', `${spec} is undefined or not exported`);
  if (typeof handler !== 'function')
    throw new HandlerError('Runtime.HandlerNotFound', `${spec} is not a function`);
  return handler;
}
