/**
 * `aigc log`: the transparency log of recorded outputs (C2SP tlog-tiles + signed checkpoints).
 */
import { said } from '../../src/errors.ts';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, required, usageError } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { IoError } from '../../src/errors.ts';
import { TransparencyLog, LOG_FILES } from '../../src/tlog/log.ts';
import { auditLog, compareCheckpoints } from '../../src/tlog/audit.ts';
import { LogIntegrityError } from '../../src/tlog/errors.ts';
import { parseVerifierKey } from '../../src/tlog/note.ts';
import { formatTlogProof } from '../../src/tlog/proof-text.ts';
import { encodeLogRecord } from '../../src/tlog/entry.ts';
import { recordOfFile, verifyReceipt } from '../../src/tlog/record.ts';
import { translator } from '../../src/i18n/lang.ts';
import { cliLang } from '../lang.ts';
import { usageText } from '../../src/i18n/usage.ts';

/** One-line description for `aigc --help`. */
export const summary = 'transparency log: record, checkpoint, prove, audit';

/** Full usage text. */
export const usage = usageText('log');

const out = (s: string) => process.stdout.write(`${s}\n`);
const text = (f: string) => {
  try {
    return readFileSync(f, 'utf8');
  } catch (err) {
    throw new IoError(
      said('err.io.read', 'cannot read {path}: {why}', { path: f, why: (err as NodeJS.ErrnoException).code ?? String(err) }),
      f,
      { cause: err },
    );
  }
};
const fetchFrom = (d: string) => (p: string) => {
  try {
    return new Uint8Array(readFileSync(path.join(d, p)));
  } catch {
    return undefined;
  }
};

function verifierFrom(v: { key?: string | undefined; 'key-file'?: string | undefined; dir?: string | undefined }) {
  if (v.key) return parseVerifierKey(v.key);
  if (v['key-file']) return parseVerifierKey(text(v['key-file']));
  if (v.dir) return parseVerifierKey(text(path.join(v.dir, LOG_FILES.vkey)));
  throw usageError(said('err.cli.logKey', 'missing required option --key, --key-file or --dir'), usage);
}

function positional(p: string[], n: number): string[] {
  if (p.length < n) throw usageError(said('err.cli.nArgs', 'expected {count} argument(s)', { count: n }), usage);
  return p;
}

const SUB: Record<string, (argv: string[]) => Promise<number>> = {
  async init(argv) {
    const { values: v, positionals: p } = parse(argv, { origin: { type: 'string' } }, usage);
    const log = await TransparencyLog.create(positional(p, 1)[0]!, required(v.origin, '--origin', usage));
    const tr = translator(cliLang());
    out(tr('tools.log.created', { dir: log.dir }));
    out(tr('tools.log.origin', { origin: log.origin }));
    out(tr('tools.log.vkey', { key: log.verifierKey }));
    await log.close();
    return EXIT.OK;
  },
  async record(argv) {
    const { positionals: p } = parse(argv, {}, usage);
    const [dir, ...files] = positional(p, 2);
    const log = await TransparencyLog.open(dir!, { batchMs: 50 });
    try {
      const records = await Promise.all(files.map((f) => recordOfFile(f)));
      const entries = records.map(encodeLogRecord);
      const indices = await Promise.all(entries.map((e) => log.append(e)));
      for (const [i, f] of files.entries()) {
        const receipt = formatTlogProof({
          index: indices[i]!,
          proof: log.proveInclusion(indices[i]!),
          checkpoint: log.checkpoint,
          extra: entries[i]!,
        });
        await writeFile(`${f}.tlog-proof`, receipt);
        out(
          translator(cliLang())('tools.log.recorded', {
            file: f,
            index: indices[i]!,
            id: records[i]!.manifestId,
            receipt: `${f}.tlog-proof`,
          }),
        );
      }
    } finally {
      await log.close();
    }
    return EXIT.OK;
  },
  async checkpoint(argv) {
    const { positionals: p } = parse(argv, {}, usage);
    const dir = positional(p, 1)[0]!;
    const vkey = text(path.join(dir, LOG_FILES.vkey)).trim();
    process.stdout.write(text(path.join(dir, LOG_FILES.checkpoint)));
    const tr = translator(cliLang());
    out(`\n${tr('tools.log.origin', { origin: parseVerifierKey(vkey).name })}\n${tr('tools.log.vkey', { key: vkey })}`);
    return EXIT.OK;
  },
  async prove(argv) {
    const { values: v, positionals: p } = parse(argv, { size: { type: 'string' } }, usage);
    const [dir, index] = positional(p, 2);
    const log = await TransparencyLog.open(dir!);
    try {
      const size = v.size === undefined ? log.size : Number(v.size);
      if (size !== log.size)
        throw usageError(
          said('err.cli.logSize', '--size other than the current size needs a checkpoint of that size; prove against the current one'),
        );
      process.stdout.write(
        formatTlogProof({ index: Number(index), proof: log.proveInclusion(Number(index), size), checkpoint: log.checkpoint }),
      );
    } finally {
      await log.close();
    }
    return EXIT.OK;
  },
  async 'verify-proof'(argv) {
    const { values: v, positionals: p } = parse(argv, { key: { type: 'string' }, 'key-file': { type: 'string' } }, usage);
    const [proofFile, file] = positional(p, 2);
    let r: Awaited<ReturnType<typeof verifyReceipt>>;
    try {
      r = await verifyReceipt(text(proofFile!), file!, verifierFrom(v));
    } catch (err) {
      if (!(err instanceof LogIntegrityError)) throw err;
      out(`! ${err.check}: ${err.message.slice(err.check.length + 2)}`);
      return 1;
    }
    out(translator(cliLang())('tools.log.included', { file: file!, index: r.index, origin: r.checkpoint.origin, size: r.checkpoint.size }));
    return EXIT.OK;
  },
  async 'verify-consistency'(argv) {
    const { values: v, positionals: p } = parse(
      argv,
      { dir: { type: 'string' }, key: { type: 'string' }, 'key-file': { type: 'string' } },
      usage,
    );
    const [oldFile, newFile] = positional(p, 2);
    const r = await compareCheckpoints(text(oldFile!), text(newFile!), verifierFrom(v), v.dir ? fetchFrom(v.dir) : undefined);
    for (const f of r.findings) out(`! ${f.code}: ${f.explanation}`);
    if (r.ok) out(translator(cliLang())('tools.log.consistent', { old: oldFile!, new: newFile! }));
    return r.ok ? EXIT.OK : 1;
  },
  async audit(argv) {
    const { values: v, positionals: p } = parse(argv, { key: { type: 'string' }, 'key-file': { type: 'string' } }, usage);
    const dir = positional(p, 1)[0]!;
    const r = await auditLog(fetchFrom(dir), text(path.join(dir, LOG_FILES.checkpoint)), verifierFrom({ ...v, dir }));
    for (const f of r.findings) out(`! ${f.code}: ${f.explanation}`);
    if (r.ok) out(translator(cliLang())('tools.log.auditOk', { size: r.checkpoint!.size, origin: r.checkpoint!.origin }));
    return r.ok ? EXIT.OK : 1;
  },
};

/** Run `aigc log`. */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const fn = sub ? SUB[sub] : undefined;
  if (!fn) throw usageError(said('err.cli.subcommand', 'expected a subcommand: {names}', { names: Object.keys(SUB).join(' | ') }), usage);
  return fn(rest);
}
