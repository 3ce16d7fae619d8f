/**
 * How the management command starts. A manage.py at the root of the package runs (`python3
 * manage.py <command>`): it is the project's own entry point, which sets its settings module and
 * may adjust sys.path or load settings first, so the command behaves as it does on the developer's
 * machine. Without one, `python3 -m django <command>` (Django's django-admin), which needs
 * DJANGO_SETTINGS_MODULE from django.settingsModule or the function's environment.
 */
import { UserError } from '../errors.js';

export interface ManageEntry {
  argv: string[];
  /** DJANGO_SETTINGS_MODULE of the function's environment, if set (manage.py's default otherwise). */
  settingsModule: string | undefined;
}

export const managePy = 'manage.py';

export function manageEntry(
  functionName: string,
  environment: Record<string, string>,
  hasManagePy: boolean,
  command: string[],
): ManageEntry {
  const settingsModule = environment.DJANGO_SETTINGS_MODULE || undefined;
  if (hasManagePy) return { argv: ['python3', managePy, ...command], settingsModule };
  if (!settingsModule)
    throw new UserError(
      `no Django settings module for function ${functionName}, and the package has no ${managePy}`,
      {
        hint: `Set "django": { "settingsModule": "mysite.settings" } in lbuild.json, or DJANGO_SETTINGS_MODULE in functions.${functionName}.environment.`,
      },
    );
  return { argv: ['python3', '-m', 'django', ...command], settingsModule };
}
