export { FileFeature, type FileFeatureOptions } from './feature.js';
export { FolderSink, PART_SUFFIX } from './folder-sink.js';
export { nodeFileSource } from './node-source.js';
export { downloadsFolder } from './downloads.js';
export { nodeSha256 } from './node-hash.js';
