/** The bench's network: the link emulator and namespaces of tools/testkit (netlab, docs/link-emulator.md). */
export { LINK_PROFILES, canMakeBenchNet, startBenchNet, type BenchNet, type LinkCounters, type LinkProfile, type LinkProfileName } from '@fernhilfe/testkit';
