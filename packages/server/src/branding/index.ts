export { registerBrandingRoutes } from './routes.js';
export type { BrandingRouteDeps } from './routes.js';
export { BrandingStore } from './store.js';
