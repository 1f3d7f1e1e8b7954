/**
 * @fernhilfe/testkit: the helpers that the tests and the benchmarks share (Xvfb, Chromium, processes,
 * ports, temp dirs, throw-away redis-server and PostgreSQL, the bench network with its link emulator). Internal and private:
 * no production package depends on it.
 */
export { stopChild, type StopChildOptions } from './child.js';
export { CUSTOMER_WINDOW, ENTIRE_SCREEN, QUIET_ARGS, chromiumPath, launchHeadless, launchOnDisplay, type CustomerWindow } from './chromium.js';
export { TestkitError, type TestkitFailure } from './errors.js';
export {
  DEFAULT_QUEUE_MS,
  LINK_PROFILES,
  canMakeBenchNet,
  startBenchNet,
  type BenchNet,
  type BenchNetOptions,
  type DirectionCounters,
  type LinkCounters,
  type LinkProfile,
  type LinkProfileName,
} from './netlab.js';
export { canMakeNamespaces, freeSubnet, ipSync, rootForwards, stopForwarding } from './netlab/netns.js';
export { freePort } from './port.js';
export { NOT_INSTALLED_MESSAGE, findPostgresBinDir, startPostgres, type PostgresOptions, type PostgresServer } from './postgres.js';
export { sha256File, writePrngFile } from './prng.js';
export { cpuMsByPid, hostBusyMs, hostLoadPercent, listProcesses, processCpuMs, processTree, rssKiB, type ProcessEntry } from './proc.js';
export { REDIS_NOT_INSTALLED, startRedis, type RedisOptions, type RedisServer } from './redis.js';
export { makeTempDir, removeDir } from './temp-dir.js';
export { customerGetsCredentials, technicianConnects, technicianSignsIn, valueOf, visible, type Credentials } from './web-flows.js';
export { XPainter, rgb, type Rect, type Rgb } from './x11-painter.js';
export { startWine, type WineDesktop, type WineOptions, type WineProcess } from './wine.js';
export { startXvfb, type Wrap, type Xvfb, type XvfbOptions } from './xvfb.js';
export { retryUntil, startMutter, type MutterDesktop } from './mutter.js';
export { startNotificationServer, type NotificationServer, type ReceivedNote } from './notifications.js';
