export { CaseService, type CaseChange } from './service.js';
export { registerCaseRoutes } from './routes.js';
export { CaseFeed } from './feed.js';
