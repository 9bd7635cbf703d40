/**
 * A batch worker thread: loads the command's task module at once (from `workerData`, a
 * {@link WorkerBoot}), builds the task when the `{ config }` message (a {@link BatchConfig}) comes, and
 * answers each {@link TaskInput} message with a {@link TaskResult}. Inputs that arrive before the
 * task is built wait for it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TASKS } from './tasks.ts';
import { errorLine } from '../exit-codes.ts';
import type { BatchConfig, Task, TaskInput, WorkerBoot } from './types.ts';
import { setCliLang } from '../lang.ts';

const boot = workerData as WorkerBoot;
setCliLang(boot.lang); // this thread's error lines follow the run's --lang
const port = parentPort!;
const loading = TASKS[boot.command]!();
loading.catch(() => {}); // reported when the configuration arrives
let config: BatchConfig | undefined;
let task: Task | undefined;
const early: TaskInput[] = [];

const run = (t: Task, input: TaskInput): void => {
  void t(input).then(
    (result) => port.postMessage(result),
    (err: unknown) => port.postMessage({ fatal: errorLine(err, config!.command), seq: input.seq }),
  );
};

port.on('message', (m: { config: BatchConfig } | TaskInput) => {
  if (!('config' in m)) {
    if (task) run(task, m);
    else early.push(m);
    return;
  }
  if (config) return;
  config = m.config;
  if (config.lang) setCliLang(config.lang); // a thread the loader started knew no --lang (./preboot.ts)
  loading
    .then((mod) => mod.createTask(config!))
    .then(
      (t) => {
        task = t;
        port.postMessage({ ready: true });
        for (const input of early.splice(0)) run(t, input);
      },
      (err: unknown) => port.postMessage({ fatal: errorLine(err, config!.command) }),
    );
});
