/**
 * The bench's network: engineer E's netlab (contract 3 of issue 17). Until it is on main this points at
 * the temporary stand-in, which makes the namespaces but emulates no link (STANDIN_EMULATES).
 */
export { LINK_PROFILES, STANDIN_EMULATES, canMakeBenchNet, startBenchNet, type BenchNet, type LinkCounters, type LinkProfile, type LinkProfileName } from './netlab-standin.js';
