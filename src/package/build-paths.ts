/**
 * Where things go inside the build container: the dependency inputs, the installed tree, and the
 * package sources and pip configuration lbuild copies in. One list, so the code that ships files
 * and the code that rewrites paths to them agree.
 */
export const sourceDir = '/var/lbuild/src';
/** Everything in here goes into the zip. */
export const outputDir = '/var/lbuild/out';
/** Outside outputDir for the same reason. */
export const scriptsReport = '/var/lbuild/install-scripts.json';
/** Package sources from outside the project (find-links folders, wheels, file: indexes). */
export const packageSourcesDir = '/var/lbuild/sources';
/** XDG_CONFIG_HOME of the install: the project's pip.conf is pip's user configuration there. */
export const pipConfigHome = '/var/lbuild/config';
/** The copy of the file PIP_CONFIG_FILE names on the host. */
export const envPipConfig = '/var/lbuild/pip-env.conf';
