/**
 * Looking a runtime up by name, and what its lifecycle means for the user: a deprecated runtime
 * still builds (with a warning naming its dates and its successor), a preview runtime only when
 * asked for, and an unknown name lists what exists, current runtimes first.
 */
import { UserError } from '../errors.js';
import { newestRuntime, runtimes, type RuntimeInfo, type RuntimeStatus } from './catalog.js';

/** How a user asks for preview runtimes; named once so every message says the same. */
export const allowPreviewFlag = '--allow-preview';
export const allowPreviewConfigKey = 'allowPreviewRuntimes';

function namesWith(status: RuntimeStatus): string {
  return runtimes
    .filter((r) => r.status === status)
    .map((r) => r.name)
    .join(', ');
}

export function findRuntime(name: string): RuntimeInfo {
  const runtime = runtimes.find((r) => r.name === name);
  if (!runtime) {
    throw new UserError(`unknown runtime "${name}"`, {
      hint:
        `Current runtimes: ${namesWith('current')}. ` +
        `Deprecated (still deployable for a while): ${namesWith('deprecated')}. ` +
        `Preview (with ${allowPreviewFlag} or "${allowPreviewConfigKey}": true): ${namesWith('preview')}.`,
    });
  }
  return runtime;
}

/** Refuse a preview runtime unless the user opted in: it is not for production. */
export function assertRuntimeAllowed(runtime: RuntimeInfo, allowPreview: boolean): void {
  if (runtime.status !== 'preview' || allowPreview) return;
  const stable = newestRuntime(runtime.language).name;
  throw new UserError(`${runtime.name} is a preview runtime, not for production`, {
    hint: `Use ${stable}, or opt in with ${allowPreviewFlag} (or "${allowPreviewConfigKey}": true in lbuild.json) to try it.`,
  });
}

/** The warning a runtime's lifecycle calls for, if any. */
export function runtimeWarning(runtime: RuntimeInfo): string | undefined {
  const { lifecycle } = runtime;
  if (runtime.status === 'deprecated') {
    const blocks = [
      lifecycle.blockCreate && `creating functions on it is blocked from ${lifecycle.blockCreate}`,
      lifecycle.blockUpdate && `updating them from ${lifecycle.blockUpdate}`,
    ].filter(Boolean);
    return (
      `${runtime.name} is deprecated since ${lifecycle.deprecation} (no more security patches)` +
      `${blocks.length > 0 ? `; ${blocks.join(', ')}` : ''}. Move to ${newestRuntime(runtime.language).name}.`
    );
  }
  if (runtime.status === 'preview') {
    return `${runtime.name} is a preview runtime (${runtime.runImage}): fine to try, not for production. The newest stable one is ${newestRuntime(runtime.language).name}.`;
  }
  return undefined;
}
