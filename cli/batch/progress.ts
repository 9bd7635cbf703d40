/**
 * The batch progress bar on standard error (cli-progress): count, rate and ETA. Only on a
 * terminal and without `--quiet`; the total grows while the file list is still being walked.
 */
import { availableParallelism } from 'node:os';

/** A progress display; a no-op when off. */
export interface Progress {
  found(): void;
  listed(): void;
  done(): void;
  stop(): void;
}

const OFF: Progress = { found() {}, listed() {}, done() {}, stop() {} };

/** Start a progress bar when standard error is a terminal and `quiet` is false. */
export async function startProgress(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): Promise<Progress> {
  if (quiet || !stream.isTTY) return OFF;
  const { SingleBar } = (await import('cli-progress')).default;
  const bar = new SingleBar({
    stream,
    clearOnComplete: true,
    hideCursor: true,
    etaBuffer: 50,
    fps: 5,
    format: '{bar} {value}/{total}{more} files | {rate} files/s | ETA {eta_formatted}',
  });
  let total = 0;
  let value = 0;
  const start = Date.now();
  const payload = (more: string) => ({ more, rate: Math.round(value / Math.max(0.001, (Date.now() - start) / 1000)) });
  bar.start(1, 0, payload('+'));
  let listing = true;
  return {
    found() {
      total++;
      bar.setTotal(total);
    },
    listed() {
      listing = false;
      bar.update(value, payload(''));
    },
    done() {
      value++;
      bar.update(value, payload(listing ? '+' : ''));
    },
    stop() {
      bar.stop();
    },
  };
}

/** Default `--jobs`: the number of cores. */
export function defaultJobs(): number {
  return availableParallelism();
}
