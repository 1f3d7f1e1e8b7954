export { brandingSchema, DEFAULT_BRANDING } from './branding.js';
export type { Branding } from './branding.js';
export { registerBrandingRoutes } from './routes.js';
export type { BrandingRouteDeps } from './routes.js';
export { BrandingStore } from './store.js';
