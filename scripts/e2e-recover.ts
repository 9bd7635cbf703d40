/**
 * Issue #18's end-to-end recovery run: stamp N synthetic images with `aigc stamp --watermark --record`
 * (the CLI, a batch on worker threads, default explicit label), do what a platform does to each output
 * (strip all metadata, halve, re-encode at JPEG q75), and recover each stripped copy from the repository
 * (`recover()`, what `aigc recover` runs: watermark, else perceptual hash; the record checked against
 * the content and proven by an inclusion proof against the log's signed checkpoint). N unmarked images
 * (other pictures, never stamped) go through the same recovery and must find nothing. Each copy is also
 * recovered by the perceptual hash alone (no watermark detection), to measure the fallback on its own.
 * Prints one JSON object with the figures; exits 1 when the recovery rate is under 99 % or an unmarked
 * image recovers anything.
 *
 *   npm run e2e:recover -- [--count 1000] [--width 512] [--height 384] [--jobs N] [--keep DIR]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ExternalToolError } from '../src/errors.ts';
import { ManifestRepository } from '../src/repository/repository.ts';
import { recover } from '../src/repository/recover.ts';
import { watermarkDetector } from '../src/repository/detector.ts';
import { picture, platformCopy } from './support/pictures.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PRODUCER = '001191000000EXAMPLE01P10000';

/** The figures of one run. */
export interface RecoverRun {
  readonly count: number;
  readonly size: string;
  readonly marked: {
    recovered: number;
    wrong: number;
    missed: number;
    rate: number;
    viaWatermark: number;
    viaPhash: number;
    inclusionProofsValid: number;
  };
  readonly unmarked: { count: number; falsePositives: number };
  /** The same copies recovered by the perceptual hash alone (no watermark detection): the fallback's own rate. */
  readonly phashOnly: { recovered: number; wrong: number; rate: number; unmarkedFalsePositives: number };
  readonly repository: { records: number; treeSize: number };
  readonly seconds: { generate: number; stamp: number; strip: number; recover: number };
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'cli', 'aigc.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, AIGC_TRUST: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const since = (t: number) => Math.round((performance.now() - t) / 10) / 100;

/**
 * Run the end to end in `work` (a fresh folder) with `count` marked and `count` unmarked images.
 * `pki`: the folder holding es256/chain.pem and es256/key.pem (the test PKI under fixtures/generated/pki).
 */
export async function runRecoverE2e(o: {
  count: number;
  width?: number;
  height?: number;
  jobs?: number;
  work: string;
  pki: string;
}): Promise<RecoverRun> {
  const w = o.width ?? 512;
  const h = o.height ?? 384;
  const dirs = Object.fromEntries(['in', 'out', 'stripped', 'unmarked'].map((d) => [d, path.join(o.work, d)])) as Record<
    'in' | 'out' | 'stripped' | 'unmarked',
    string
  >;
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const name = (i: number) => `img-${String(i).padStart(5, '0')}.jpg`;
  let t = performance.now();
  for (let i = 0; i < o.count; i++) {
    writeFileSync(path.join(dirs.in, name(i)), await picture(1 + i, w, h));
    writeFileSync(path.join(dirs.unmarked, name(i)), await platformCopy(await picture(1_000_000 + i, w, h)));
  }
  const generate = since(t);

  t = performance.now();
  const repoDir = path.join(o.work, 'repo');
  const stamped = await run([
    'stamp',
    dirs.in,
    '-o',
    dirs.out,
    '--cert',
    path.join(o.pki, 'es256', 'chain.pem'),
    '--key',
    path.join(o.pki, 'es256', 'key.pem'),
    '--producer',
    PRODUCER,
    '--watermark',
    '--record',
    repoDir,
    '--jsonl',
    '--quiet',
    ...(o.jobs ? ['--jobs', String(o.jobs)] : []),
  ]);
  const stamp = since(t);
  const lines = stamped.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { path: string; verdict: string; manifest?: string; recorded?: { manifestId: string } });
  const expected = new Map<string, string>();
  for (const l of lines) if (l.verdict === 'Stamped' && l.recorded) expected.set(path.basename(l.path), l.recorded.manifestId);
  if (stamped.code !== 0 || expected.size !== o.count) {
    throw new ExternalToolError(
      `aigc stamp recorded ${expected.size} of ${o.count} files (exit ${stamped.code}): ${stamped.stderr.slice(0, 2000)}`,
    );
  }

  t = performance.now();
  for (let i = 0; i < o.count; i++) writeFileSync(path.join(dirs.stripped, name(i)), await platformCopy(path.join(dirs.out, name(i))));
  const strip = since(t);

  t = performance.now();
  const repo = await ManifestRepository.open(repoDir);
  const detect = await watermarkDetector();
  const marked = { recovered: 0, wrong: 0, missed: 0, rate: 0, viaWatermark: 0, viaPhash: 0, inclusionProofsValid: 0 };
  let falsePositives = 0;
  const phashOnly = { recovered: 0, wrong: 0, rate: 0, unmarkedFalsePositives: 0 };
  try {
    for (let i = 0; i < o.count; i++) {
      const r = await recover(readFileSync(path.join(dirs.stripped, name(i))), { repo, ...(detect ? { detect } : {}) });
      if (r.log?.included) marked.inclusionProofsValid++;
      if (!r.found || !r.record) marked.missed++;
      else if (r.record.manifestId !== expected.get(name(i))) marked.wrong++;
      else {
        marked.recovered++;
        if (r.via === 'watermark') marked.viaWatermark++;
        else marked.viaPhash++;
      }
      const u = await recover(readFileSync(path.join(dirs.unmarked, name(i))), { repo, ...(detect ? { detect } : {}) });
      if (u.record) falsePositives++;
      const p = await recover(readFileSync(path.join(dirs.stripped, name(i))), { repo });
      if (p.found && p.record?.manifestId === expected.get(name(i))) phashOnly.recovered++;
      else if (p.record) phashOnly.wrong++;
      if ((await recover(readFileSync(path.join(dirs.unmarked, name(i))), { repo })).record) phashOnly.unmarkedFalsePositives++;
    }
    marked.rate = Math.round((marked.recovered / o.count) * 10_000) / 100;
    phashOnly.rate = Math.round((phashOnly.recovered / o.count) * 10_000) / 100;
    return {
      count: o.count,
      size: `${w}x${h}`,
      marked,
      unmarked: { count: o.count, falsePositives },
      phashOnly,
      repository: { records: repo.count(), treeSize: repo.log.size },
      seconds: { generate, stamp, strip, recover: since(t) },
    };
  } finally {
    await repo.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string' },
      width: { type: 'string' },
      height: { type: 'string' },
      jobs: { type: 'string' },
      keep: { type: 'string' },
    },
  });
  const work = values.keep ? path.resolve(values.keep) : mkdtempSync(path.join(os.tmpdir(), 'aigc-e2e-recover-'));
  try {
    const r = await runRecoverE2e({
      count: Number(values.count ?? 1000),
      work,
      pki: path.join(ROOT, 'fixtures', 'generated', 'pki'),
      ...(values.width ? { width: Number(values.width) } : {}),
      ...(values.height ? { height: Number(values.height) } : {}),
      ...(values.jobs ? { jobs: Number(values.jobs) } : {}),
    });
    process.stdout.write(`${JSON.stringify({ bench: 'e2e_recover', ...r })}\n`);
    process.exitCode = r.marked.rate >= 99 && r.unmarked.falsePositives === 0 ? 0 : 1;
  } finally {
    if (!values.keep) rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
