/**
 * A batch worker thread: builds the command's task once from `workerData` (a {@link BatchConfig}),
 * then answers each {@link TaskInput} message with a {@link TaskResult}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TASKS } from './tasks.ts';
import { errorLine } from '../exit-codes.ts';
import type { BatchConfig, TaskInput } from './types.ts';
import { setCliLang } from '../lang.ts';

const config = workerData as BatchConfig;
setCliLang(config.lang); // this thread's error lines follow the run's --lang
const port = parentPort!;
try {
  const task = await (await TASKS[config.command]!()).createTask(config);
  port.on('message', (input: TaskInput) => {
    void task(input).then(
      (result) => port.postMessage(result),
      (err: unknown) => port.postMessage({ fatal: errorLine(err, config.command), seq: input.seq }),
    );
  });
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ fatal: errorLine(err, config.command) });
}
