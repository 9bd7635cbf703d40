/** Child process for the crash test: appends numbered entries forever, printing each acknowledged index. */
import { TransparencyLog } from '../../src/tlog/log.ts';

const log = await TransparencyLog.open(process.argv[2]!, { batchSize: 64, batchMs: 5 });
for (let i = 0; ; i++) {
  const batch = Array.from({ length: 50 }, (_, k) => log.append(new TextEncoder().encode(`entry ${i * 50 + k}`)));
  for (const p of batch) process.stdout.write(`${await p}\n`);
}
