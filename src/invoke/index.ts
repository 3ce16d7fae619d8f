/** `lbuild invoke`'s library side. */
export { invokeFunction } from './invoke-function.js';
export type { InvokeOptions, InvokeResult } from './invoke-types.js';
