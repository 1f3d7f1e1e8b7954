export { Cluster, type ClusterOptions, type ConnectionSink } from './cluster.js';
export { MemoryDirectory, type ClusterPort, type Directory, type HandOffWho, type Located } from './directory.js';
