/**
 * Parse and write JUMBF trees. Parsing is bounds-checked (every declared size against
 * the bytes left), depth-capped ({@link MAX_BOX_DEPTH}) and count-capped
 * ({@link MAX_JUMBF_BOXES}); each superbox keeps its exact payload bytes.
 */
import { LimitExceededError, MalformedInputError, said } from '../../errors.ts';
import { MAX_BOX_DEPTH, MAX_JUMBF_BOXES } from '../../binary/limits.ts';
import { encodeBox, encodeBoxOf, printable, readBoxHeader } from './box.ts';
import { encodeDescription, parseDescription, type DescriptionInput } from './description.ts';
import type { JumbfContentBox, JumbfNode, JumbfSuperbox } from './types.ts';

/** Options for {@link parseJumbf}. */
export interface ParseJumbfOptions {
  /** Maximum superbox nesting (default {@link MAX_BOX_DEPTH}; the outermost superbox is depth 1). */
  readonly maxDepth?: number;
  /** Maximum boxes in total (default {@link MAX_JUMBF_BOXES}). */
  readonly maxBoxes?: number;
}

/** Result of {@link parseJumbf}. */
export interface ParsedJumbf {
  readonly root: JumbfSuperbox;
  /** Bytes consumed by the root superbox (≤ input length). */
  readonly consumed: number;
}

interface Ctx {
  readonly bytes: Uint8Array;
  readonly maxDepth: number;
  readonly maxBoxes: number;
  boxes: number;
}

/**
 * Parse the superbox at the start of `bytes` (a manifest store).
 * @throws {MalformedInputError} when a size is inconsistent, the first box is not `jumb`,
 * or a superbox lacks its description box.
 * @throws {LimitExceededError} past {@link MAX_BOX_DEPTH} nesting or {@link MAX_JUMBF_BOXES} boxes.
 */
export function parseJumbf(bytes: Uint8Array, options: ParseJumbfOptions = {}): ParsedJumbf {
  const ctx: Ctx = { bytes, maxDepth: options.maxDepth ?? MAX_BOX_DEPTH, maxBoxes: options.maxBoxes ?? MAX_JUMBF_BOXES, boxes: 0 };
  const h = readBoxHeader(bytes, 0, bytes.length);
  if (h.type !== 'jumb')
    throw new MalformedInputError(
      'jumbf',
      said('err.c2pa.expectedJumbSuperboxFound', "expected a 'jumb' superbox, found '{v1}'", { v1: printable(h.type) }),
      0,
    );
  const root = parseSuperbox(ctx, 0, h.size, h.headerLength, 1);
  return { root, consumed: h.size };
}

function parseSuperbox(ctx: Ctx, offset: number, size: number, headerLength: number, depth: number): JumbfSuperbox {
  if (depth > ctx.maxDepth) {
    throw new LimitExceededError(
      'MAX_BOX_DEPTH',
      said('err.c2pa.jumbfSuperboxesNestedDeeper', 'JUMBF superboxes nested deeper than {maxDepth} at byte {offset}', {
        maxDepth: ctx.maxDepth,
        offset,
      }),
    );
  }
  count(ctx);
  const start = offset + headerLength;
  const end = offset + size;
  const payload = ctx.bytes.subarray(start, end);
  const dh = readBoxHeader(ctx.bytes, start, end);
  if (dh.type !== 'jumd')
    throw new MalformedInputError(
      'jumbf',
      said('err.c2pa.superboxDoesNotStart', "superbox does not start with a description box (found '{v1}')", { v1: printable(dh.type) }),
      start,
    );
  count(ctx);
  const description = parseDescription(ctx.bytes.subarray(start + dh.headerLength, start + dh.size), start + dh.headerLength);
  const children: JumbfNode[] = [];
  let at = start + dh.size;
  while (at < end) {
    const h = readBoxHeader(ctx.bytes, at, end);
    if (h.type === 'jumb') children.push(parseSuperbox(ctx, at, h.size, h.headerLength, depth + 1));
    else {
      count(ctx);
      const box: JumbfContentBox = {
        kind: 'box',
        type: h.type,
        payload: ctx.bytes.subarray(at + h.headerLength, at + h.size),
        offset: at,
        headerLength: h.headerLength,
      };
      children.push(box);
    }
    at += h.size;
  }
  return { kind: 'superbox', description, children, payload, offset, headerLength };
}

function count(ctx: Ctx): void {
  if (++ctx.boxes > ctx.maxBoxes)
    throw new LimitExceededError(
      'MAX_JUMBF_BOXES',
      said('err.c2pa.moreJUMBFBoxes', 'more than {maxBoxes} JUMBF boxes', { maxBoxes: ctx.maxBoxes }),
    );
}

/**
 * Encode a superbox from a description and already-encoded child boxes.
 * @throws {InvalidArgumentError} for a bad description.
 */
export function encodeSuperbox(description: DescriptionInput, children: readonly Uint8Array[]): Uint8Array {
  return encodeBoxOf('jumb', [encodeDescription(description), ...children]);
}

/**
 * Re-encode a parsed node from its fields (not from its stored bytes). For well-formed input
 * the result equals the original bytes; tests use it for round trips.
 * @throws {InvalidArgumentError} when a field cannot be encoded.
 */
export function encodeNode(node: JumbfNode): Uint8Array {
  if (node.kind === 'box') return encodeBox(node.type, node.payload);
  const d = node.description;
  return encodeSuperbox(
    { type: d.type, label: d.label, requestable: (d.toggles & 1) === 1, id: d.id, hash: d.hash, privateBox: d.privateBox },
    node.children.map(encodeNode),
  );
}

/** The child superboxes of `box` with label `label`, in order. */
export function childrenByLabel(box: JumbfSuperbox, label: string): JumbfSuperbox[] {
  return box.children.filter((c): c is JumbfSuperbox => c.kind === 'superbox' && c.description.label === label);
}

/** The child superboxes of `box`. */
export function childSuperboxes(box: JumbfSuperbox): JumbfSuperbox[] {
  return box.children.filter((c): c is JumbfSuperbox => c.kind === 'superbox');
}

/** The first content box of `type` directly inside `box`. */
export function contentBox(box: JumbfSuperbox, type: string): JumbfContentBox | undefined {
  return box.children.find((c): c is JumbfContentBox => c.kind === 'box' && c.type === type);
}
