/**
 * Which runtime client a container worker runs, and how its container starts it. AWS's Lambda
 * images start their own client through the image's entrypoint; any other image (the offline
 * Debian stand-ins) gets lbuild's bootstrap, copied into the code image.
 */
import type { Language } from '../../../runtimes/catalog.js';
import { bootstrapArgs } from '../core/bootstrap.js';
import type { BaseImageFacts } from './code-image.js';

/** Where lbuild's bootstrap goes in the container, or undefined when the image's own client runs. */
export function ownBootstrapDir(
  language: Language,
  handler: string,
  base: BaseImageFacts,
): string | undefined {
  // AWS's clients do not know lbuild's wsgi:/asgi: handlers: those run on lbuild's bootstrap even in
  // an AWS image, from a folder of its own so AWS's /var/runtime stays untouched.
  const own = !base.hasAwsRuntime || (language === 'python' && /^(wsgi|asgi):/.test(handler));
  if (!own) return undefined;
  return base.hasAwsRuntime ? '/var/lbuild-runtime' : '/var/runtime';
}

export function containerEntrypoint(
  language: Language,
  bootstrapDir: string | undefined,
  base: BaseImageFacts,
): string[] {
  if (!bootstrapDir) return base.entrypoint;
  return [language === 'python' ? 'python3' : 'node', ...bootstrapArgs(language, bootstrapDir)];
}
