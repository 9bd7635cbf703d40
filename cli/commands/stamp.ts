/** `aigc stamp`: explicit label + GB 45438 implicit label + signed C2PA manifest. */
import { said } from '../../src/errors.ts';
import { statSync } from 'node:fs';
import path from 'node:path';
import { parse, required, usageError } from '../args.ts';
import { SIGNER_FLAGS, signerFromFlags, type SignerFlagValues } from './signer-flags.ts';
import { InvalidArgumentError, IoError } from '../../src/errors.ts';
import { BATCH_OPTIONS, batchFlags } from '../batch/options.ts';
import { runBatch, runSingle } from '../batch/run.ts';
import { openRecorder } from '../batch/record.ts';
import type { StampTaskOptions } from '../batch/stamp-task.ts';
import type { BatchConfig } from '../batch/types.ts';
import { cliLang } from '../lang.ts';
import { LABEL_POSITIONS, CUE_PLACEMENTS, type LabelPosition, type CuePlacement } from '../../src/labels/explicit/index.ts';
import { SIGNING_AID_FLAGS, signingAidOptions } from './signing-flags.ts';
import { TRUST_FLAGS, trustFromFlags } from './common.ts';
import { usageText } from '../../src/i18n/usage.ts';

export const summary = 'add explicit + implicit labels and a signed C2PA manifest';
export const usage = usageText('stamp');

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Run `aigc stamp`.
 * @throws {InvalidArgumentError} for usage errors; {@link IoError} for a missing output folder;
 * as `signerFromFlags` for an unusable certificate or key (before any file is read).
 */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...SIGNER_FLAGS,
    output: { type: 'string', short: 'o' },
    'in-place': { type: 'boolean' },
    producer: { type: 'string' },
    'produce-id': { type: 'string' },
    model: { type: 'string' },
    'no-explicit': { type: 'boolean' },
    'label-text': { type: 'string' },
    'label-position': { type: 'string' },
    'label-scale': { type: 'string' },
    'audio-cue': { type: 'string' },
    'voice-clip': { type: 'string' },
    json: { type: 'boolean' },
    ...SIGNING_AID_FLAGS,
    watermark: { type: 'boolean' },
    'watermark-id': { type: 'string' },
    record: { type: 'string' },
    force: { type: 'boolean' },
    'replace-manifest': { type: 'boolean' },
    ...TRUST_FLAGS,
    sidecar: { type: 'boolean' },
    fragment: { type: 'string', multiple: true },
    ...BATCH_OPTIONS,
  });
  const flags = batchFlags(values, positionals, 'input file');
  if (flags.require) throw usageError(said('err.cli.requireVerify', '--require applies to verify and inspect'));
  const output = values['in-place'] && !values.output ? undefined : required(values.output, '-o/--output');
  if (!flags.single) {
    if (values['produce-id'])
      throw usageError(
        said('err.cli.oneFileOption', '{option} names one file; it cannot be used with several inputs', { option: '--produce-id' }),
      );
    if (values['watermark-id'])
      throw usageError(
        said('err.cli.oneFileOption', '{option} names one file; it cannot be used with several inputs', { option: '--watermark-id' }),
      );
    if (!output && !values['in-place']) throw usageError(said('err.cli.outputFolder', 'missing required option -o/--output (a folder)'));
    if (output && !isFolder(output))
      throw new IoError(
        said('err.cli.notFolder', 'cannot create outputs in {path}: not an existing folder (-o)', { path: output }),
        output,
      );
  } else if (output && !isFolder(output) && !isFolder(path.dirname(path.resolve(output)))) {
    throw new IoError(
      said('err.cli.noOutFolder', 'cannot create {path}: folder {folder} does not exist (-o)', {
        path: output,
        folder: path.dirname(output),
      }),
      output,
    );
  }
  const position = values['label-position'];
  if (position !== undefined && !(LABEL_POSITIONS as readonly string[]).includes(position)) {
    throw InvalidArgumentError.expected(LABEL_POSITIONS.join(' | '), '--label-position', position);
  }
  const cue = values['audio-cue'];
  if (cue !== undefined && !(CUE_PLACEMENTS as readonly string[]).includes(cue))
    throw InvalidArgumentError.expected(CUE_PLACEMENTS.join(' | '), '--audio-cue', cue);
  const scale = values['label-scale'] === undefined ? undefined : Number(values['label-scale']);
  if (scale !== undefined && !(scale > 0)) throw InvalidArgumentError.expected('a positive number', '--label-scale', values['label-scale']);
  const fragmentInputs = values.fragment ?? [];
  if (fragmentInputs.length && (!flags.single || !output || isFolder(output)))
    throw usageError(said('err.cli.fragment', '--fragment needs one init segment and -o naming its output file'));
  const fragments = fragmentInputs.length
    ? { inputs: fragmentInputs, outputs: fragmentInputs.map((f) => path.join(path.dirname(output!), path.basename(f))) }
    : undefined;
  const signerFlags: SignerFlagValues = Object.fromEntries(
    Object.keys(SIGNER_FLAGS).map((k) => [k, (values as Record<string, string | undefined>)[k]]),
  );
  (await signerFromFlags(signerFlags, usage)).close(); // an unusable certificate or key fails once, before any file
  const trust = await trustFromFlags(values, usage);
  const options: StampTaskOptions = {
    signer: signerFlags,
    ...(flags.single && output ? { output } : {}),
    ...(values.sidecar ? { sidecar: true } : {}),
    stamp: {
      ...signingAidOptions(values),
      ...(fragments ? { fragments } : {}),
      force: values.force === true,
      replaceManifest: values['replace-manifest'] === true,
      trust,
      producer: required(values.producer, '--producer'),
      inPlace: values['in-place'] === true,
      ...(values['produce-id'] ? { produceId: values['produce-id'] } : {}),
      ...(values.model ? { model: values.model } : {}),
      ...(values.watermark || values['watermark-id']
        ? { watermark: values['watermark-id'] ? { id: values['watermark-id'].toLowerCase() } : true }
        : {}),
      explicitLabel: values['no-explicit']
        ? false
        : {
            ...(values['label-text'] ? { text: values['label-text'] } : {}),
            ...(position ? { position: position as LabelPosition } : {}),
            ...(scale ? { scale } : {}),
            ...(cue ? { audioCue: cue as CuePlacement } : {}),
            ...(values['voice-clip'] ? { voiceClip: values['voice-clip'] } : {}),
          },
    },
  };
  const config: BatchConfig = { command: 'stamp', mode: flags.mode, options, lang: cliLang() };
  const recorder = values.record ? await openRecorder(values.record, flags.mode, 'stamp') : undefined;
  try {
    if (flags.single) {
      const input = positionals[0]!;
      return await runSingle(
        config,
        input,
        output === undefined ? input : isFolder(output) ? path.join(output, path.basename(input)) : output,
        recorder?.after,
      );
    }
    return await runBatch({
      config,
      args: positionals,
      list: flags.list,
      ordered: flags.ordered,
      quiet: flags.quiet,
      outputFor: outputFor(output),
      ...(flags.jobs ? { jobs: flags.jobs } : {}),
      ...(recorder ? { after: recorder.after } : {}),
    });
  } finally {
    await recorder?.close();
  }
}

function outputFor(output: string | undefined): (e: { path: string; root?: string }) => string {
  return (e) => {
    if (!output) return e.path; // --in-place
    return path.join(output, e.root ? path.relative(e.root, e.path) : path.basename(e.path));
  };
}
