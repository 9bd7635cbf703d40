/**
 * The platform service (`aigc serve`, `aigc worker`): an HTTP API over the library's
 * verify, inspect, decide, propagate and stamp, run in-process or through a BullMQ queue.
 */
export { createService, ROUTES, type Service, type CreateServiceOptions } from './app.ts';
export {
  buildConfig,
  loadConfig,
  DEFAULT_LIMITS,
  type ServerConfig,
  type LimitsConfig,
  type AuthConfig,
  type SignerConfig,
} from './config.ts';
export { startWorker, type RunningWorker } from './worker.ts';
export {
  jobIdOf,
  parseJobOptions,
  OPERATIONS,
  type Operation,
  type JobSpec,
  type JobResult,
  type JobOptions,
  type JobOutput,
} from './job-spec.ts';
export { parseHeaderJson } from './http-errors.ts';
