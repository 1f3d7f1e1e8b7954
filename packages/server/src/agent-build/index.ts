export { ProgramBuilds } from './builds.js';
export { decideBuildMode, type BuildMode } from './decide.js';
export { prepareProgramSource, type ProgramSource } from './prepare.js';
export { registerProgramRoutes } from './routes.js';
export { SIGNING_KEY_FILE } from './keys.js';
export { sourcesFingerprint } from './sources.js';
