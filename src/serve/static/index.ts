/** Static hosting of the frontend build folder with S3 website + CloudFront semantics. */
export { createStaticHandler, type StaticRequestHandler } from './handler.js';
export { etagFor } from './file-meta.js';
export { startStaticServer, type StaticServer } from './server.js';
export {
  defaultStaticHost,
  defaultStaticPort,
  parseStaticSiteOptions,
  type StaticHandlerOptions,
  type StaticSiteOptions,
} from './options.js';
export {
  compileCacheControl,
  defaultAssetCacheControl,
  defaultHtmlCacheControl,
  type CacheControlRules,
} from './cache-control.js';
