/**
 * XMP in ISO-BMFF files: a top-level `uuid` box BE7ACFCB-97A9-42E8-9C71-999491E3AFAC
 * (Adobe XMP part 3; also where c2pa-rs writes BMFF XMP) or QuickTime's
 * `moov/udta/XMP_`. As for the other containers, XMP carries the IPTC digital source
 * type; the GB 45438 label lives in the native `mdta` key, so writing a label removes
 * `TC260:AIGC` from XMP (one label per file). Secondary packets lose both properties.
 */
import type { ByteSource } from '../../binary/byte-source.ts';
import type { ImplicitLabels } from '../../labels/implicit/types.ts';
import { writeXmpLabels } from '../../labels/implicit/xmp.ts';
import type { FoundLabel } from '../types.ts';
import { decodeXmp, checkMetadataSize, encodeXmp, stripXmp, xmpCarriers } from '../common/xmp-packet.ts';
import { type BoxHeader, boxEnd, payloadStart } from './bmff-boxes.ts';
import { isXmpUuidBox, XMP_UUID } from './bmff-c2pa-box.ts';
import { type BoxNode, type BoxTree, findNodes, nodePayload } from './bmff-moov.ts';
import { boxHeader, boxHeaderLength, concatBytes, makeBox } from './bmff-writer.ts';

/** `foundIn` names of the BMFF XMP carriers. */
export const BMFF_XMP_CARRIERS = { uuid: 'XMP (uuid)', udta: 'XMP (moov/udta/XMP_)' } as const;

/**
 * Read the packet of an XMP box (payload after the header, `uuid` extended type included).
 * @throws {LimitExceededError} above `MAX_METADATA_BYTES`.
 */
export async function readXmpBox(src: ByteSource, box: BoxHeader): Promise<string> {
  const start = payloadStart(box);
  checkMetadataSize(boxEnd(box) - start, 'XMP box');
  return decodeXmp(await src.read(start, boxEnd(box) - start));
}

/** Label carriers of one packet (TC260:AIGC under `where`, IPTC under its prefix). */
export function labelsFromXmp(xmp: string, where: string): FoundLabel[] {
  return xmpCarriers(where, xmp);
}

/** A top-level XMP `uuid` box holding `xmp`. */
export function makeXmpUuidBox(xmp: string): Uint8Array {
  const body = encodeXmp(xmp);
  return concatBytes([boxHeader('uuid', boxHeaderLength(body.length, true) + body.length, { userType: XMP_UUID }), body]);
}

/** What the XMP update does to the top level. */
export interface XmpEdits {
  /** New bytes for existing top-level XMP `uuid` boxes. */
  readonly replace: Map<BoxHeader, Uint8Array>;
  /** A new top-level XMP box to insert (after the C2PA box), when there was no packet. */
  readonly insert?: Uint8Array;
}

function edit(xmp: string, labels: ImplicitLabels, primary: boolean): string {
  if (!primary) return stripXmp(xmp, labels);
  let out = labels.gb45438 ? stripXmp(xmp, { gb45438: labels.gb45438 }) : xmp;
  if (labels.digitalSourceType !== undefined) out = writeXmpLabels(out, { digitalSourceType: labels.digitalSourceType });
  return out;
}

/**
 * Plan the XMP changes for `labels`: edit `moov/udta/XMP_` nodes in `tree` in place and
 * return the top-level box changes. The first packet (top-level first) is primary.
 * @throws {MalformedInputError} {@link LimitExceededError} for a packet that cannot be edited.
 */
export async function planXmpEdits(src: ByteSource, top: readonly BoxHeader[], tree: BoxTree, labels: ImplicitLabels): Promise<XmpEdits> {
  const replace = new Map<BoxHeader, Uint8Array>();
  let primaryDone = false;
  for (const box of top.filter(isXmpUuidBox)) {
    const old = await readXmpBox(src, box);
    const next = edit(old, labels, !primaryDone);
    primaryDone = true;
    if (next !== old) replace.set(box, makeXmpUuidBox(next));
  }
  const udtaXmp: BoxNode[] = findNodes(tree.root, ['udta', 'XMP_']);
  for (const node of udtaXmp) {
    const payload = nodePayload(tree, node);
    checkMetadataSize(payload.length, 'XMP_ box');
    const old = decodeXmp(payload);
    const next = edit(old, labels, !primaryDone);
    primaryDone = true;
    if (next !== old) node.replacement = makeBox('XMP_', encodeXmp(next));
  }
  if (primaryDone || labels.digitalSourceType === undefined) return { replace };
  return { replace, insert: makeXmpUuidBox(writeXmpLabels(undefined, { digitalSourceType: labels.digitalSourceType })) };
}
