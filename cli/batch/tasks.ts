/** Batch-capable commands: one row per command, naming its task module (loaded lazily, in each thread). */
import type { TaskModule } from './types.ts';

/** Task modules by command name. Add a batch command with one row here. */
export const TASKS: Readonly<Record<string, () => Promise<TaskModule>>> = {
  verify: () => import('./verify-task.ts'),
  inspect: () => import('./verify-task.ts'),
  stamp: () => import('./stamp-task.ts'),
};
