/** `lbuild doctor`'s library side: the checks and the runtime table the CLI renders. */
export type { Check } from './check.js';
export { runDoctor } from './run-doctor.js';
export { runtimeRows, type RuntimeRow } from './runtime-rows.js';
