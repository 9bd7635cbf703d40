/** `aigc stamp`: explicit label + GB 45438 implicit label + signed C2PA manifest. */
import { said } from '../../src/errors.ts';
import { statSync } from 'node:fs';
import path from 'node:path';
import { parse, required, usageError } from '../args.ts';
import { SIGNER_FLAGS, SIGNER_USAGE, signerFromFlags, type SignerFlagValues } from './signer-flags.ts';
import { InvalidArgumentError, IoError } from '../../src/errors.ts';
import { BATCH_OPTIONS, batchFlags } from '../batch/options.ts';
import { runBatch, runSingle } from '../batch/run.ts';
import { openRecorder } from '../batch/record.ts';
import type { StampTaskOptions } from '../batch/stamp-task.ts';
import type { BatchConfig } from '../batch/types.ts';
import { cliLang } from '../lang.ts';
import { LABEL_POSITIONS, CUE_PLACEMENTS, type LabelPosition, type CuePlacement } from '../../src/labels/explicit/index.ts';
import { SIGNING_AID_FLAGS, SIGNING_AID_USAGE, signingAidOptions } from './signing-flags.ts';
import { TRUST_FLAGS, TRUST_USAGE, trustFromFlags } from './common.ts';

export const summary = 'add explicit + implicit labels and a signed C2PA manifest';
export const usage = `Usage: aigc stamp IN -o OUT --cert chain.pem --key key.pem --producer CODE [options]
       aigc stamp IN|DIR|-... -o OUTDIR --cert chain.pem --key key.pem --producer CODE [options]

Stamps an AI output at generation time: renders the explicit label (visible overlay on
images and video, Morse "AI" cue on audio), writes the GB 45438 implicit label into the
file's metadata, and adds a C2PA manifest signed with the service's certificate.

Options:
  -o, --output OUT          output file (written atomically); with several inputs, a
                            folder: each output keeps its name (and, from a walked
                            folder, its path below that folder)
      --in-place            allow OUT to be IN (the input is never modified otherwise)
${SIGNER_USAGE}      --producer CODE       27-character GB 45438 provider code (ContentProducer)
      --produce-id ID       ProduceID (default: a fresh unique ID)
      --model NAME          model or service name (the action's softwareAgent)
      --no-explicit         skip the explicit label (the service's interface shows it)
      --label-text TEXT     explicit label text (default "AI生成"; must contain AI and 生成/合成)
      --label-position P    ${LABEL_POSITIONS.join('|')} (default bottom-right)
      --label-scale X       text height relative to the shortest side (default 0.06, min 0.05)
      --audio-cue WHERE     ${CUE_PLACEMENTS.join('|')} (default start)
      --voice-clip FILE     prepend this spoken label instead of the Morse cue
      --watermark           also embed an invisible watermark (images; WAV, FLAC, MP3 audio of at
                            least 11.52 s) before signing, with a
                            c2pa.watermarked action and a c2pa.soft-binding assertion
      --watermark-id HEX16  the watermark's identifier (default: random, from the CSPRNG)
      --record DIR          record each output in the manifest repository DIR (created on first
                            use): its manifest store, hashes, watermark id and perceptual hash,
                            with an entry in the repository's transparency log ('aigc recover')
      --json                print everything as JSON (default: a one-line summary)
      --force               replace an existing OUT (default: refuse)
      --replace-manifest    drop a C2PA manifest IN already carries (default: keep it as a
                            parentOf ingredient with its validation results)
      --sidecar             write the manifest store to OUT's NAME.c2pa beside it, not into OUT
      --fragment SEG        IN is the init segment of a fragmented MP4 stream and SEG one of its
                            media segments (repeat, in stream order): each SEG gets its Merkle
                            proof and is written beside OUT under its own name; the manifest
                            (Merkle form of the BMFF hash) and the label go into OUT. Needs
                            --no-explicit. Check with: aigc verify OUT --fragment OUTDIR/SEG...
${SIGNING_AID_USAGE}
Trust options, for judging a manifest IN already carries:
${TRUST_USAGE}
Many inputs: several files, folders (-r, --include GLOB, --exclude GLOB) or - (paths on
standard input); --jsonl, --jobs N, --ordered, --quiet as for 'aigc verify'. Exit 0 when
every file was stamped, else 1 (never stopping at the first failure).
An interrupted run (kill -9) can leave '.NAME.aigc-PID-HEX.tmp' files in the output folder;
the next run writing there removes those whose process has ended.
`;

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
