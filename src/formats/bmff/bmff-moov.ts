/**
 * An editable in-memory tree of one top-level box (in practice `moov`, a few MB at
 * most): parse once, replace leaves or add children, then serialise. Unchanged
 * subtrees are re-emitted byte for byte; changed containers get a new size.
 */
import { BufferSource } from '../../binary/byte-source.ts';
import { type BoxHeader, boxEnd, CONTAINER_TYPES, listBoxes, childrenStart } from './bmff-boxes.ts';
import { boxHeader, boxHeaderLength, concatBytes } from './bmff-writer.ts';

/** One node of an editable box tree. */
export interface BoxNode {
  readonly type: string;
  /** The parsed header (offsets relative to the tree's buffer); absent for new nodes. */
  readonly header?: BoxHeader;
  /** Depth (1 = top level). */
  readonly depth: number;
  /** Children of a container that was descended. */
  children?: BoxNode[];
  /** Bytes between the header and the first child (a FullBox `meta`'s version/flags). */
  prefix?: Uint8Array;
  /** Bytes after the last child (QuickTime's zero terminator). */
  trailing?: Uint8Array;
  /** Complete new bytes of this box (header included); wins over everything else. */
  replacement?: Uint8Array;
}

/** A parsed tree and the buffer its original bytes come from. */
export interface BoxTree {
  readonly bytes: Uint8Array;
  readonly root: BoxNode;
}

/**
 * Parse `bytes` (one whole box, e.g. a `moov` read from the file) into a tree,
 * descending into container boxes.
 * @throws {MalformedInputError} for bad sizes.
 * @throws {LimitExceededError} past `MAX_BMFF_DEPTH` / `MAX_SEGMENTS`.
 */
export async function parseBoxTree(bytes: Uint8Array): Promise<BoxTree> {
  const src = new BufferSource(bytes);
  const { boxes } = await listBoxes(src, 0, bytes.length, 1);
  const top = boxes[0]!;
  const build = async (h: BoxHeader, depth: number): Promise<BoxNode> => {
    const node: BoxNode = { type: h.type, header: h, depth };
    if (!CONTAINER_TYPES.has(h.type)) return node;
    const start = await childrenStart(src, h);
    const list = await listBoxes(src, start, boxEnd(h), depth + 1);
    node.prefix = bytes.subarray(h.offset + h.headerSize, start);
    node.trailing = bytes.subarray(list.trailingStart, boxEnd(h));
    node.children = [];
    for (const c of list.boxes) node.children.push(await build(c, depth + 1));
    return node;
  };
  return { bytes, root: await build(top, 1) };
}

/** Whether a node or any descendant was replaced or is new. */
export function isDirty(node: BoxNode): boolean {
  if (node.replacement || !node.header) return true;
  return node.children?.some(isDirty) ?? false;
}

/** Serialised size of a node. */
export function nodeSize(tree: BoxTree, node: BoxNode): number {
  if (node.replacement) return node.replacement.length;
  const h = node.header;
  if (h && !isDirty(node)) return h.size;
  let body = (node.prefix?.length ?? 0) + (node.trailing?.length ?? 0);
  for (const c of node.children ?? []) body += nodeSize(tree, c);
  return boxHeaderLength(body, h?.userType !== undefined, h?.largeSize ?? false) + body;
}

/** Serialise a node (header included). */
export function serializeNode(tree: BoxTree, node: BoxNode): Uint8Array {
  const chunks: Uint8Array[] = [];
  emit(tree, node, chunks);
  return concatBytes(chunks);
}

function emit(tree: BoxTree, node: BoxNode, out: Uint8Array[]): void {
  if (node.replacement) {
    out.push(node.replacement);
    return;
  }
  const h = node.header;
  if (h && !isDirty(node)) {
    out.push(tree.bytes.subarray(h.offset, boxEnd(h)));
    return;
  }
  const size = nodeSize(tree, node);
  out.push(boxHeader(node.type, size, { largeSize: h?.largeSize ?? false, ...(h?.userType ? { userType: h.userType } : {}) }));
  if (node.prefix) out.push(node.prefix);
  for (const c of node.children ?? []) emit(tree, c, out);
  if (node.trailing) out.push(node.trailing);
}

/** The original bytes of a parsed node (header included). */
export function nodeBytes(tree: BoxTree, node: BoxNode): Uint8Array {
  const h = node.header;
  return h ? tree.bytes.subarray(h.offset, boxEnd(h)) : (node.replacement ?? new Uint8Array(0));
}

/** The original payload of a parsed node (after the header). */
export function nodePayload(tree: BoxTree, node: BoxNode): Uint8Array {
  const h = node.header;
  return h ? tree.bytes.subarray(h.offset + h.headerSize, boxEnd(h)) : new Uint8Array(0);
}

/** Every node reached by a child path such as `['trak','mdia','minf','stbl','stco']`. */
export function findNodes(from: BoxNode, path: readonly string[]): BoxNode[] {
  let level: BoxNode[] = [from];
  for (const t of path) level = level.flatMap((n) => (n.children ?? []).filter((c) => c.type === t));
  return level;
}

/** Every node in the tree, depth first. */
export function allNodes(from: BoxNode): BoxNode[] {
  const out: BoxNode[] = [];
  const rec = (n: BoxNode): void => {
    out.push(n);
    for (const c of n.children ?? []) rec(c);
  };
  rec(from);
  return out;
}
