/**
 * Programmatic API of the sync server, for the demo and browser tests that
 * want it in-process. The server's own tests run the real CLI process.
 */
export { startServer, resolveServerOptions, type RunningServer, type ServerOptions } from './server.js';
export { defaultLimits, MiB, type LimitsConfig } from './limits.js';
export { createLogger, type Logger, type LogLevel } from './log.js';
export { issueTillToken, isValidStoreId, storeIdPattern, type TillClaims } from './auth.js';
export { closeReasons, type CloseReason } from './close-reasons.js';
