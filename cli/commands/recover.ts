/**
 * `aigc repo add` and `aigc recover`: record outputs in a manifest repository, and find the
 * manifest of a stripped file again (watermark, else perceptual hash), proven by the repository's
 * transparency log.
 */
import { said } from '../../src/errors.ts';
import { parse, required, usageError } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { ManifestRepository } from '../../src/repository/repository.ts';
import { recordFile } from '../../src/repository/add-file.ts';
import { recover } from '../../src/repository/recover.ts';
import { watermarkDetector } from '../../src/repository/detector.ts';
import { translator } from '../../src/i18n/lang.ts';
import { cliLang } from '../lang.ts';
import { usageText } from '../../src/i18n/usage.ts';

/** One-line description for `aigc --help`. */
export const summary = 'manifest repository: record outputs, recover stripped files';

/** Full usage text. */
export const usage = usageText('recover');

/** Run `aigc repo …` or `aigc recover …` (the dispatcher passes the command name first). */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'add') {
    const { positionals: p } = parse(rest, {}, usage);
    const [dir, ...files] = p;
    if (!dir || files.length === 0) throw usageError(said('err.cli.dirAndFiles', 'expected DIR and at least one FILE'), usage);
    const repo = await ManifestRepository.open(dir);
    try {
      for (const f of files) {
        const r = await recordFile(repo, f);
        process.stdout.write(`${f}: ${r.manifestId} entry ${r.logIndex}${r.watermarkId ? ` watermark ${r.watermarkId}` : ''}\n`);
      }
    } finally {
      await repo.close();
    }
    return EXIT.OK;
  }
  if (sub !== 'recover') throw usageError(said('err.cli.repoOrRecover', 'expected: aigc repo add | aigc recover'), usage);
  const { values: v, positionals: p } = parse(rest, { repo: { type: 'string' }, json: { type: 'boolean' } }, usage);
  if (p.length !== 1) throw usageError(said('err.cli.oneFileArg', 'expected exactly one FILE'), usage);
  const repo = await ManifestRepository.open(required(v.repo, '--repo', usage));
  try {
    const r = await recover(p[0]!, { repo, detect: await watermarkDetector() });
    if (v.json)
      process.stdout.write(
        `${JSON.stringify(r, (_k, x) => (typeof x === 'bigint' ? x.toString(16) : x instanceof Uint8Array ? undefined : x), 2)}\n`,
      );
    else {
      const tr = translator(cliLang());
      const file = p[0]!;
      process.stdout.write(
        `${r.found ? tr('tools.recover.found', { file, id: r.record!.manifestId, via: String(r.via) }) : tr('tools.recover.none', { file })}\n`,
      );
      const label = r.label as Record<string, string> | undefined;
      if (label)
        process.stdout.write(
          `${tr('tools.recover.label', { label: String(label.Label), producer: String(label.ContentProducer), id: String(label.ProduceID) })}\n`,
        );
      if (r.manifest) process.stdout.write(`${tr('tools.recover.manifest', { state: String(r.manifest.validation_state) })}\n`);
      for (const s of r.status) process.stdout.write(`  ${s.code}: ${s.explanation}\n`);
    }
    return r.found ? EXIT.OK : r.record ? 1 : 2;
  } finally {
    await repo.close();
  }
}
