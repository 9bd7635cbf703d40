/** `aigc watermark embed|detect`: the invisible watermark alone (no removal command, by design). */
import { said } from '../../src/errors.ts';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { parse, required, usageError } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { InvalidArgumentError, IoError } from '../../src/errors.ts';
import { writeAtomic } from '../../src/binary/atomic-write.ts';
import { embedImageWatermark } from '../../src/watermark/image.ts';
import { detectWatermark, mediumOf } from '../../src/watermark/detect.ts';
import { watermarkLine } from '../../src/watermark/describe.ts';
import { translator } from '../../src/i18n/lang.ts';
import { cliLang } from '../lang.ts';
import { usageText } from '../../src/i18n/usage.ts';

/** Predicted audio margin below which `embed` warns that the mark may not survive re-encoding (measured: marks that fail sit near 0.3). */
const WEAK_AUDIO_MARGIN = 0.8;

export const summary = 'embed or detect the invisible watermark (64-bit identifier)';
export const usage = usageText('watermark');

async function readInput(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (err) {
    throw new IoError(
      said('err.io.read', 'cannot read {path}: {why}', { path: file, why: (err as NodeJS.ErrnoException).code ?? String(err) }),
      file,
      { cause: err },
    );
  }
}

/** Run `aigc watermark`. */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const tr = translator(cliLang());
  const { values, positionals } = parse(
    rest,
    {
      output: { type: 'string', short: 'o' },
      id: { type: 'string' },
      psnr: { type: 'string' },
      snr: { type: 'string' },
      'max-p': { type: 'string' },
      json: { type: 'boolean' },
    },
    usage,
  );
  if (positionals.length !== 1) throw usageError(said('err.cli.oneFile', 'expected exactly one file'), usage);
  const file = positionals[0]!;
  if (sub === 'embed') {
    const output = required(values.output, '-o/--output', usage);
    if (path.resolve(output) === path.resolve(file))
      throw usageError(said('err.cli.wmOverwrite', 'refusing to overwrite the input; choose another -o'));
    const input = await readInput(file);
    const id = values.id ? { id: values.id.toLowerCase() } : {};
    if (mediumOf(input.subarray(0, 64)) === 'audio') {
      if (values.psnr !== undefined) throw usageError(said('err.cli.psnr', '--psnr is for images; use --snr for audio'));
      const snr = values.snr === undefined ? undefined : Number(values.snr);
      const { embedAudioWatermark } = await import('../../src/watermark/audio.ts');
      const a = await embedAudioWatermark(input, { ...id, ...(snr !== undefined ? { snr } : {}) });
      await writeAtomic(output, [a.bytes]);
      const out = {
        output,
        id: a.id,
        format: a.format,
        snr: Math.round(a.snr * 100) / 100,
        periods: a.periods,
        predictedMargin: Math.round(a.meanMargin * 100) / 100,
      };
      process.stdout.write(
        values.json
          ? `${JSON.stringify(out, null, 2)}\n`
          : `${tr('tools.wm.embedded', { file, output })}\n${tr('tools.wm.audioId', { id: a.id, format: a.format, snr: out.snr, periods: a.periods })}\n`,
      );
      if (a.meanMargin < WEAK_AUDIO_MARGIN) process.stderr.write(`${tr('tools.wm.weakAudio', { margin: out.predictedMargin })}\n`);
      return EXIT.OK;
    }
    if (values.snr !== undefined) throw usageError(said('err.cli.snr', '--snr is for audio; use --psnr for images'));
    const psnr = values.psnr === undefined ? undefined : Number(values.psnr);
    const r = await embedImageWatermark(input, { ...id, ...(psnr !== undefined ? { psnr } : {}) });
    await writeAtomic(output, [r.bytes]);
    const out = {
      output,
      id: r.id,
      format: r.format,
      psnr: Math.round(r.psnr * 100) / 100,
      predictedMargin: Math.round(r.meanMargin * 100) / 100,
    };
    process.stdout.write(
      values.json
        ? `${JSON.stringify(out, null, 2)}\n`
        : `${tr('tools.wm.embedded', { file, output })}\n${tr('tools.wm.imageId', { id: r.id, format: r.format, psnr: out.psnr })}\n`,
    );
    return EXIT.OK;
  }
  if (sub === 'detect') {
    const maxP = values['max-p'] === undefined ? undefined : Number(values['max-p']);
    if (maxP !== undefined && !(maxP > 0 && maxP <= 1))
      throw InvalidArgumentError.expected('a probability in (0, 1]', '--max-p', values['max-p']);
    const d = await detectWatermark(await readInput(file), maxP !== undefined ? { maxPValue: maxP } : {});
    process.stdout.write(
      values.json
        ? `${JSON.stringify(d, null, 2)}\n`
        : `${path.basename(file)}${cliLang() === 'zh' ? '：' : ': '}${watermarkLine(d, cliLang())}\n`,
    );
    return d.found ? EXIT.OK : EXIT.NOTHING_FOUND;
  }
  throw usageError(said('err.cli.embedOrDetect', "expected 'embed' or 'detect', got '{sub}'", { sub: sub ?? '' }), usage);
}
