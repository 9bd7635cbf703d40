/**
 * `propagate()`: what a distribution platform runs on each upload. It verifies the file,
 * decides the display prompt (Art. 6), writes its propagation fields into the GB 45438
 * label (never touching the producer's), signs them in ReservedCode2, and adds a C2PA
 * manifest signed by the platform: `c2pa.opened` on a `parentOf` ingredient carrying the
 * incoming manifest store and its validation results, then `c2pa.published` (or
 * `c2pa.transcoded` when it re-encoded the media), and our GB 45438 assertion.
 */
import path from 'node:path';
import type { Signer } from '../crypto/signer.ts';
import { makeGb45438Label } from '../labels/implicit/gb45438.ts';
import type { Gb45438Label } from '../labels/implicit/types.ts';
import { parseProviderCode } from '../labels/provider-code.ts';
import { makeSecurityData, propagatorMessage } from '../labels/security-data.ts';
import {
  ACTIONS_LABEL, buildActions, buildGb45438Assertion, buildIngredientV3, GB45438_ASSERTION_LABEL, INGREDIENT_LABEL,
  ingredientRefs, parseManifestStore, type AssertionRef, type BuilderAssertion, type ManifestStore,
} from '../manifest/index.ts';
import type { VerifyReport } from '../verify/report.ts';
import type { TrustOptions } from '../verify/trust-options.ts';
import { partsToBytes } from '../binary/parts.ts';
import { decidePrompt, type PlatformDecision } from './decision.ts';
import { embedManifest, emit } from './embed.ts';
import { openInput, type MediaInput } from './input.ts';
import { checkSignerCode, newContentId } from './label.ts';
import { guardInPlace } from './stamp.ts';
import { describeTranscode, transcodeMedia, type TranscodeOptions } from './transcode.ts';
import { verify } from './verify.ts';

/** Options of {@link propagate}. */
export interface PropagateOptions {
  /** The platform's signer (a propagator certificate). */
  signer: Signer;
  /** The platform's 27-character provider code (ContentPropagator). */
  propagator: string;
  /** PropagateID; default a fresh unique ID. */
  propagateId?: string;
  /** The uploader declared the content AI-generated. */
  declaredAi?: boolean;
  /** Trust for verifying the upload. */
  trust?: TrustOptions;
  /** Re-encode (resize / recompress) before publishing; recorded as c2pa.transcoded. */
  transcode?: TranscodeOptions;
  /** Write here (atomically); without it the bytes are returned. */
  output?: string;
  inPlace?: boolean;
  /** Sign the label fields into ReservedCode2 (default true; skipped for RSA keys). */
  securityData?: boolean;
}

/** What {@link propagate} returns. */
export interface PropagateResult {
  decision: PlatformDecision;
  /** The upload's verification report. */
  incoming: VerifyReport;
  /** The label written, or undefined when the content is not AI (prompt "none"). */
  label?: Gb45438Label;
  manifestLabel: string;
  bytes?: Uint8Array;
  path?: string;
}

/**
 * Check an upload and publish it with the platform's propagation label and manifest.
 * @throws {InvalidArgumentError} for a malformed propagator code, one not matching the certificate, or a bad output path.
 * @throws {IoError} {@link UnsupportedFormatError} {@link MalformedInputError} {@link SigningError}
 */
export async function propagate(input: MediaInput, options: PropagateOptions): Promise<PropagateResult> {
  parseProviderCode(options.propagator);
  checkSignerCode(options.signer, options.propagator, 'propagator');
  guardInPlace(input, options.output, options.inPlace);
  const incoming = await verify(input, options.trust ? { trust: options.trust } : {});
  const decision = decidePrompt(incoming, options.declaredAi === true);
  let opened = await openInput(input);
  try {
    const storeBytes = await opened.handler.readManifest(opened.src).catch(() => undefined);
    let store: ManifestStore | undefined;
    try {
      store = storeBytes ? parseManifestStore(storeBytes) : undefined;
    } catch {
      store = undefined;
    }
    const usable = store?.active?.signature ? store : undefined;
    if (options.transcode) {
      const bytes = await partsToBytes(opened.src, [{ copy: { offset: 0, length: opened.src.size } }]);
      const transcoded = await transcodeMedia(bytes, opened.handler, options.transcode);
      await opened.close();
      opened = await openInput(transcoded);
    }
    const label = await propagationLabel(incoming, decision, options);
    const title = typeof input === 'string' ? path.basename(input) : undefined;
    const assertions = platformAssertions(usable, incoming, opened.handler.mimeTypes[0]!, title, label, options.transcode);
    const result = await embedManifest({
      src: opened.src, handler: opened.handler, signer: options.signer, assertions,
      ...(label ? { labels: { gb45438: label } } : {}),
      ...(usable ? { ingredientStores: [usable] } : {}),
      ...(title ? { title } : {}),
    });
    const bytes = await emit(opened.src, result.parts, options.output);
    return {
      decision, incoming, ...(label ? { label } : {}), manifestLabel: result.manifestLabel,
      ...(bytes ? { bytes } : {}), ...(options.output ? { path: options.output } : {}),
    };
  } finally {
    await opened.close();
  }
}

/** The label after propagation: producer fields kept, propagation fields and Label set, ReservedCode2 signed. */
async function propagationLabel(incoming: VerifyReport, decision: PlatformDecision, o: PropagateOptions): Promise<Gb45438Label | undefined> {
  if (!decision.label) return undefined;
  const existing = incoming.labels.gb45438?.fields;
  let label = makeGb45438Label({
    Label: existing?.Label && ['1', '2', '3'].includes(existing.Label) ? existing.Label : decision.label,
    ContentProducer: existing?.ContentProducer ?? '',
    ProduceID: existing?.ProduceID ?? '',
    ReservedCode1: existing?.ReservedCode1 ?? '',
    ContentPropagator: o.propagator,
    PropagateID: o.propagateId ?? newContentId(),
    ReservedCode2: '',
  });
  if (o.securityData !== false && !o.signer.alg.startsWith('PS')) {
    label = { ...label, ReservedCode2: await makeSecurityData(o.signer, propagatorMessage(label)) };
  }
  return label;
}

function platformAssertions(
  store: ManifestStore | undefined, incoming: VerifyReport, format: string, title: string | undefined,
  label: Gb45438Label | undefined, transcode: TranscodeOptions | undefined,
): BuilderAssertion[] {
  const refs = store ? ingredientRefs(store) : undefined;
  const results = incoming.validation_results?.activeManifest;
  const ingredient = buildIngredientV3({
    relationship: 'parentOf', format, ...(title ? { title } : {}),
    instanceID: store?.active?.claim?.instanceID ?? `xmp:iid:${newContentId()}`,
    ...(refs ? { activeManifest: refs.activeManifest, claimSignature: refs.claimSignature } : {}),
    ...(refs && results ? { validationResults: { activeManifest: results } } : {}),
    ...(refs ? {} : { description: 'unknown provenance: the upload carried no C2PA manifest' }),
  });
  const second = transcode
    ? { action: 'c2pa.transcoded', description: describeTranscode(transcode) }
    : { action: 'c2pa.published' };
  const assertions: BuilderAssertion[] = [
    {
      label: ACTIONS_LABEL,
      data: (ref: AssertionRef) => buildActions([{ action: 'c2pa.opened', when: new Date(), parameters: { ingredients: [ref(INGREDIENT_LABEL)] } }, { ...second, when: new Date() }]),
    },
    { label: INGREDIENT_LABEL, data: ingredient },
  ];
  if (label) assertions.push({ label: GB45438_ASSERTION_LABEL, data: buildGb45438Assertion(label) });
  return assertions;
}
