/** `lbuild init` as a library: detect or import, then write lbuild.json. */
export { initProject } from './init-project.js';
export { formatInitReport } from './report-text.js';
export type { Ask, Choice, ChoiceMade, InitOptions, InitResult, InitSource } from './init-types.js';
export { takeDefault } from './init-types.js';
