// Resolving "dir/module.func.nested" to a function the way aws-lambda-ric does: try module.js,
// module.mjs, module.cjs under the task root, CommonJS through require and ESM through import(),
// with Lambda's error types when that fails.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HandlerError } from './lbuild-errors.mjs';

function splitHandler(spec) {
  const handlerPart = basename(spec);
  const moduleRoot = spec.slice(0, spec.length - handlerPart.length);
  const match = /^([^.]*)\.(.*)$/.exec(handlerPart);
  if (!match || !match[1] || !match[2]) throw new HandlerError('Runtime.MalformedHandlerName', 'Bad handler');
  return { moduleRoot, module: match[1], path: match[2] };
}

/** Is this .js file ESM? Decided by the nearest package.json's "type", as Node decides. */
function isEsmJs(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return JSON.parse(readFileSync(pkg, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

async function loadModule(file) {
  const esm = file.endsWith('.mjs') || (file.endsWith('.js') && isEsmJs(file));
  if (esm) return import(pathToFileURL(file).href);
  return createRequire(file)(file);
}

function classify(error) {
  if (error instanceof HandlerError) return error;
  if (error instanceof SyntaxError) return new HandlerError('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`, error);
  if (error && (error.code === 'MODULE_NOT_FOUND' || error.code === 'ERR_MODULE_NOT_FOUND')) {
    return new HandlerError('Runtime.ImportModuleError', `Error: ${error.message}`, error);
  }
  // Code at module level threw: Lambda reports the error itself.
  return error;
}

export async function loadHandler(taskRoot, spec) {
  const { moduleRoot, module, path } = splitHandler(spec);
  const base = resolve(taskRoot, moduleRoot, module);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((candidate) => existsSync(candidate));
  if (!file) {
    throw new HandlerError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleRoot}${module}'\nRequire stack:\n- ${new URL(import.meta.url).pathname}`);
  }
  let loaded;
  try {
    loaded = await loadModule(file);
  } catch (error) {
    throw classify(error);
  }
  const find = (root) => path.split('.').reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), root);
  let handler = find(loaded);
  // CommonJS loaded through import() keeps module.exports under "default".
  if (handler === undefined && loaded && loaded.default) handler = find(loaded.default);
  if (handler === undefined) throw new HandlerError('Runtime.HandlerNotFound', `${spec} is undefined or not exported`);
  if (typeof handler !== 'function') throw new HandlerError('Runtime.HandlerNotFound', `${spec} is not a function`);
  return handler;
}
