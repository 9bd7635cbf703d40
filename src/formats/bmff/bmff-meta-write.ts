/**
 * Writing the GB 45438 label into a parsed `moov` tree, the way
 * `ffmpeg -metadata AIGC='{…}' -movflags use_metadata_tags` does: `moov/udta/meta`
 * (FullBox) with `hdlr` handler `mdta`, a `keys` entry `mdta`+`AIGC` and the matching
 * `ilst` item (1-based key index) holding a `data` box of type 1 (UTF-8).
 *
 * Every label carrier already present (an `AIGC` key in any movie-level `meta`, a
 * `----` item named `AIGC`, a text item holding a label) is overwritten in place, so a
 * file keeps one label; other keys and items are kept byte for byte. When no keyed
 * `AIGC` entry exists one is added (to an existing `mdta` meta, else to a new `meta`
 * appended to `udta`, creating `udta` if needed).
 */
import { BufferSource } from '../../binary/byte-source.ts';
import type { BoxHeader } from './bmff-boxes.ts';
import { aigcKeyIndices, type IlstItem, isAigcName, type MetaInfo, readItemText, readMetaInfo } from './bmff-ilst.ts';
import { isLabelValue } from './bmff-meta-read.ts';
import { type BoxNode, type BoxTree, findNodes, nodeBytes } from './bmff-moov.ts';
import { boxHeader, boxHeaderLength, concatBytes, makeBox, makeFullBox, u32be } from './bmff-writer.ts';

const enc = new TextEncoder();

/** The label key name written to `keys`. */
export const AIGC_KEY = 'AIGC';

/** A `data` box of well-known type 1 (UTF-8), locale 0. */
export function makeUtf8DataBox(text: string): Uint8Array {
  return makeBox('data', u32be(1), u32be(0), enc.encode(text));
}

/** An `hdlr` for keyed metadata, as ffmpeg writes it (33 bytes, empty name). */
export function makeMdtaHdlr(): Uint8Array {
  return makeFullBox('hdlr', 0, 0, u32be(0), enc.encode('mdta'), new Uint8Array(12), new Uint8Array(1));
}

function keyEntry(name: string): Uint8Array {
  const n = enc.encode(name);
  return concatBytes([u32be(8 + n.length), enc.encode('mdta'), n]);
}

/** A complete `meta` (FullBox) holding one `mdta` key and its value. */
export function makeMdtaMeta(key: string, value: string): Uint8Array {
  const keys = makeFullBox('keys', 0, 0, u32be(1), keyEntry(key));
  const data = makeUtf8DataBox(value);
  const ilst = makeBox('ilst', concatBytes([u32be(8 + data.length), u32be(1), data]));
  return makeFullBox('meta', 0, 0, makeMdtaHdlr(), keys, ilst);
}

function itemWithData(tree: BoxTree, item: IlstItem, text: string): Uint8Array {
  const parts: Uint8Array[] = [];
  let placed = false;
  for (const c of item.children) {
    if (c.type === 'data') {
      if (!placed) parts.push(makeUtf8DataBox(text));
      placed = true;
    } else parts.push(tree.bytes.subarray(c.offset, c.offset + c.size));
  }
  if (!placed) parts.push(makeUtf8DataBox(text));
  const body = concatBytes(parts);
  const typeBytes = tree.bytes.subarray(item.box.offset + 4, item.box.offset + 8);
  return concatBytes([u32be(boxHeaderLength(body.length) + body.length), typeBytes, body]);
}

function childNode(parent: BoxNode, h: BoxHeader | undefined): BoxNode | undefined {
  return h ? parent.children?.find((c) => c.header?.offset === h.offset) : undefined;
}

function ilstBytes(items: readonly Uint8Array[]): Uint8Array {
  return makeBox('ilst', ...items);
}

/** Options of {@link applyAigcLabel}. */
export interface AigcLabelOptions {
  /**
   * Also keep an iTunes freeform item (`----`, mean `com.apple.iTunes`, name `AIGC`) in
   * a `mdir` list: audio-only files (M4A), whose tag readers (music-metadata, iTunes)
   * ignore `mdta` keys.
   */
  readonly freeform?: boolean;
}

/** An iTunes freeform item `----` com.apple.iTunes / `name` holding `text`. */
export function makeFreeformItem(name: string, text: string): Uint8Array {
  return makeBox(
    '----',
    makeFullBox('mean', 0, 0, enc.encode('com.apple.iTunes')),
    makeFullBox('name', 0, 0, enc.encode(name)),
    makeUtf8DataBox(text),
  );
}

/** An `hdlr` for an iTunes item list (`mdir`, manufacturer `appl`). */
export function makeMdirHdlr(): Uint8Array {
  return makeFullBox('hdlr', 0, 0, u32be(0), enc.encode('mdirappl'), new Uint8Array(8), new Uint8Array(1));
}

interface MetaSeen {
  node: BoxNode;
  info: MetaInfo;
  inUdta: boolean;
}

/**
 * Write `json` as the label into the tree (replacing nodes; serialise afterwards).
 * Returns how many existing carriers were overwritten.
 * @throws {MalformedInputError} {@link LimitExceededError} for a broken `meta`.
 */
export async function applyAigcLabel(tree: BoxTree, json: string, opts: AigcLabelOptions = {}): Promise<number> {
  const src = new BufferSource(tree.bytes);
  const root = tree.root;
  const udtaMetas = findNodes(root, ['udta', 'meta']);
  const seen: MetaSeen[] = [];
  let updated = 0;
  let keyed = false;
  let freeform = false;
  for (const node of [...findNodes(root, ['meta']), ...udtaMetas]) {
    const info = await readMetaInfo(src, node.header!, node.depth);
    seen.push({ node, info, inUdta: udtaMetas.includes(node) });
    const keyIdx = info.handler === 'mdta' ? aigcKeyIndices(info) : [];
    if (keyIdx.length) keyed = true;
    let changed = false;
    const items: Uint8Array[] = [];
    for (const it of info.items) {
      const named = it.box.type === '----' && isAigcName(it.name);
      if (named) freeform = true;
      const carrier =
        keyIdx.includes(it.index) || named || (info.handler !== 'mdta' && isLabelValue(await readItemText(src, it).catch(() => undefined)));
      if (carrier) {
        items.push(itemWithData(tree, it, json));
        changed = true;
        updated++;
      } else items.push(tree.bytes.subarray(it.box.offset, it.box.offset + it.box.size));
    }
    for (const k of keyIdx) {
      if (!info.items.some((it) => it.index === k)) {
        items.push(keyedItem(k, json));
        changed = true;
      }
    }
    if (changed) setIlst(node, childNode(node, info.ilst), ilstBytes(items));
  }
  if (!keyed)
    addKey(
      tree,
      json,
      seen.find((m) => m.inUdta && m.info.handler === 'mdta'),
    );
  if (opts.freeform && !freeform) {
    const mdir = seen.find((m) => m.inUdta && m.info.handler === 'mdir');
    if (mdir) appendToIlst(tree, mdir.node, makeFreeformItem(AIGC_KEY, json));
    else
      udtaOf(root).children!.push({
        type: 'meta',
        depth: 3,
        replacement: makeFullBox('meta', 0, 0, makeMdirHdlr(), makeBox('ilst', makeFreeformItem(AIGC_KEY, json))),
      });
  }
  return updated;
}

function keyedItem(index: number, json: string): Uint8Array {
  const data = makeUtf8DataBox(json);
  return concatBytes([u32be(8 + data.length), u32be(index), data]);
}

function setIlst(meta: BoxNode, ilstNode: BoxNode | undefined, bytes: Uint8Array): void {
  if (ilstNode) ilstNode.replacement = bytes;
  else (meta.children ??= []).push({ type: 'ilst', depth: meta.depth + 1, replacement: bytes });
}

function appendToIlst(tree: BoxTree, meta: BoxNode, item: Uint8Array): void {
  const ilstNode = meta.children?.find((c) => c.type === 'ilst');
  if (!ilstNode) {
    setIlst(meta, undefined, ilstBytes([item]));
    return;
  }
  const old = ilstNode.replacement ?? nodeBytes(tree, ilstNode);
  const hl = ilstNode.replacement ? 8 : ilstNode.header!.headerSize;
  const body = concatBytes([old.subarray(hl), item]);
  ilstNode.replacement = concatBytes([boxHeader('ilst', boxHeaderLength(body.length) + body.length), body]);
}

function udtaOf(root: BoxNode): BoxNode {
  let udta = (root.children ?? []).find((c) => c.type === 'udta');
  if (!udta) {
    udta = { type: 'udta', depth: root.depth + 1, children: [] };
    (root.children ??= []).push(udta);
  }
  udta.children ??= [];
  return udta;
}

function addKey(tree: BoxTree, json: string, target: MetaSeen | undefined): void {
  if (!target) {
    udtaOf(tree.root).children!.push({ type: 'meta', depth: 3, replacement: makeMdtaMeta(AIGC_KEY, json) });
    return;
  }
  const { node, info } = target;
  const index = info.keys.length + 1;
  const keysNode = childNode(node, info.keysBox);
  const entries = keysNode ? nodeBytes(tree, keysNode).subarray(keysNode.header!.headerSize + 8) : new Uint8Array(0);
  const keys = makeFullBox('keys', 0, 0, u32be(index), entries, keyEntry(AIGC_KEY));
  if (keysNode) keysNode.replacement = keys;
  else {
    const children = (node.children ??= []);
    const at = children.findIndex((c) => c.type === 'ilst');
    children.splice(at < 0 ? children.length : at, 0, { type: 'keys', depth: node.depth + 1, replacement: keys });
  }
  appendToIlst(tree, node, keyedItem(index, json));
}
