export { resolveSlim, slimMatcher, defaultStripMinBytes, type ResolvedSlim } from './options.js';
export {
  cachedSlimTree,
  slimDependencies,
  slimTreeKey,
  type SlimReport,
} from './slim-dependencies.js';
export type { SkippedObject, SkipReason } from './remove-files.js';
