export { pathOf, RELAYED_WITHIN_MS, ServerMetrics, type LimiterName, type MetricsSink, type SessionPath, type SessionSource, type SignInFailure } from './server-metrics.js';
export { bearerMatches, serveMetrics, type MetricsEndpoint } from './serve.js';
export { countAuthFailures } from './auth-failures.js';
