/**
 * The full-size queue fault run (scripts/fault-run.ts): 2 workers, 2,000 verify and 200
 * stamp requests, one worker SIGKILLed twice, Redis restarted once. Prints one JSON line.
 *   npx tsx scripts/fault-test.ts [VERIFY STAMP]
 */
import { runFault } from './fault-run.ts';

const [verify, stamp] = [Number(process.argv[2] ?? 2000), Number(process.argv[3] ?? 200)];
const r = await runFault({ verify, stamp, log: (m) => process.stderr.write(`${m}\n`) });
const { stampedSamples, ...rest } = r;
const ok =
  r.missing === 0 &&
  !r.statuses['500'] &&
  r.stampMismatches === 0 &&
  r.stampCorrupt === 0 &&
  r.outputs === stamp + 1 &&
  (r.verifyStates.Trusted ?? 0) === verify;
process.stdout.write(`${JSON.stringify({ verify, stamp, ok, samples: stampedSamples.length, ...rest })}\n`);
process.exitCode = ok ? 0 : 1;
