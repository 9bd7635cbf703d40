/** `aigc stamp`: explicit label + GB 45438 implicit label + signed C2PA manifest. */
import { parse, required } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { SIGNER_FLAGS, SIGNER_USAGE, signerFromFlags } from './signer-flags.ts';
import { stamp } from '../../src/service/stamp.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { LABEL_POSITIONS, CUE_PLACEMENTS, type LabelPosition, type CuePlacement } from '../../src/labels/explicit/index.ts';
import { TRUST_FLAGS, trustFromFlags } from './common.ts';
import { sidecarPathOf } from '../../src/verify/engine/sidecar.ts';

export const summary = 'add explicit + implicit labels and a signed C2PA manifest';
export const usage = `Usage: aigc stamp IN -o OUT --cert chain.pem --key key.pem --producer CODE [options]

Stamps an AI output at generation time: renders the explicit label (visible overlay on
images and video, Morse "AI" cue on audio), writes the GB 45438 implicit label into the
file's metadata, and adds a C2PA manifest signed with the service's certificate.

Options:
  -o, --output OUT          output file (written atomically)
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
      --watermark           also embed an invisible watermark (images) before signing, with a
                            c2pa.watermarked action and a c2pa.soft-binding assertion
      --watermark-id HEX16  the watermark's identifier (default: random, from the CSPRNG)
      --force               replace an existing OUT (default: refuse)
      --replace-manifest    drop a C2PA manifest IN already carries (default: keep it as a
                            parentOf ingredient with its validation results)
      --trust FILE          trust anchors (PEM) for judging such an earlier manifest, repeatable
                            (default: $AIGC_TRUST); --allowed FILE and --crl FILE as for 'aigc verify'
      --sidecar             write the manifest store to OUT's NAME.c2pa beside it, not into OUT
      --json                print the result as JSON
`;

/** Run `aigc stamp`. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...SIGNER_FLAGS, output: { type: 'string', short: 'o' }, 'in-place': { type: 'boolean' },
    producer: { type: 'string' }, 'produce-id': { type: 'string' }, model: { type: 'string' },
    'no-explicit': { type: 'boolean' }, 'label-text': { type: 'string' }, 'label-position': { type: 'string' },
    'label-scale': { type: 'string' }, 'audio-cue': { type: 'string' }, 'voice-clip': { type: 'string' }, json: { type: 'boolean' },
    watermark: { type: 'boolean' }, 'watermark-id': { type: 'string' },
    force: { type: 'boolean' }, 'replace-manifest': { type: 'boolean' }, ...TRUST_FLAGS, sidecar: { type: 'boolean' },
  }, usage);
  if (positionals.length !== 1) throw new InvalidArgumentError(`expected exactly one input file\n\n${usage}`);
  const input = positionals[0]!;
  const output = values['in-place'] && !values.output ? input : required(values.output, '-o/--output', usage);
  const position = values['label-position'];
  if (position !== undefined && !(LABEL_POSITIONS as readonly string[]).includes(position)) {
    throw InvalidArgumentError.expected(LABEL_POSITIONS.join(' | '), '--label-position', position);
  }
  const cue = values['audio-cue'];
  if (cue !== undefined && !(CUE_PLACEMENTS as readonly string[]).includes(cue)) throw InvalidArgumentError.expected(CUE_PLACEMENTS.join(' | '), '--audio-cue', cue);
  const scale = values['label-scale'] === undefined ? undefined : Number(values['label-scale']);
  if (scale !== undefined && !(scale > 0)) throw InvalidArgumentError.expected('a positive number', '--label-scale', values['label-scale']);
  const { signer, close } = await signerFromFlags(values, usage);
  const trust = await trustFromFlags(values, usage).catch(async (err: unknown) => {
    await close();
    throw err;
  });
  const result = await stamp(input, {
    signer, producer: required(values.producer, '--producer', usage), output, inPlace: values['in-place'] === true,
    force: values.force === true, replaceManifest: values['replace-manifest'] === true,
    trust, ...(values.sidecar ? { sidecar: sidecarPathOf(output) } : {}),
    ...(values['produce-id'] ? { produceId: values['produce-id'] } : {}),
    ...(values.model ? { model: values.model } : {}),
    ...(values.watermark || values['watermark-id'] ? { watermark: values['watermark-id'] ? { id: values['watermark-id'].toLowerCase() } : true } : {}),
    explicitLabel: values['no-explicit'] ? false : {
      ...(values['label-text'] ? { text: values['label-text'] } : {}),
      ...(position ? { position: position as LabelPosition } : {}),
      ...(scale ? { scale } : {}),
      ...(cue ? { audioCue: cue as CuePlacement } : {}),
      ...(values['voice-clip'] ? { voiceClip: values['voice-clip'] } : {}),
    },
  }).finally(close);
  const summaryOut = {
    output: result.path, format: result.format, manifest: result.manifestLabel, label: result.label, explicit: result.explicit ?? null,
    watermark: result.watermark ?? null, earlier: result.earlier ?? null, sidecar: result.sidecar ?? null,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(summaryOut, null, 2)}\n`);
  else {
    process.stdout.write(`stamped ${input} -> ${result.path} (${result.format})\n  manifest ${result.manifestLabel}\n  AIGC ${JSON.stringify(result.label)}\n`);
    if (result.explicit) process.stdout.write(`  explicit label: ${result.explicit.kind} ${result.explicit.text ?? ''} ${result.explicit.position ?? ''}\n`);
    if (result.watermark) process.stdout.write(`  watermark: ${result.watermark.alg} id ${result.watermark.id}\n`);
    if (result.earlier) process.stdout.write(`  earlier manifest: ${result.earlier.message}\n`);
    if (result.sidecar) process.stdout.write(`  manifest store written to the sidecar ${result.sidecar} (not embedded)\n`);
  }
  return EXIT.OK;
}
