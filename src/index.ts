/**
 * aigc-provenance — runtime-agnostic core: the error model, GB 45438 label values and
 * provider codes, XMP label reading/writing, JUMBF boxes, CBOR, byte sources and the
 * verification report types. Nothing here imports `node:*` (a test enforces it), so it
 * runs in browsers and workers too. The full toolkit (stamp, verify, propagate, PKI,
 * formats) is the Node entry, `src/node.ts`.
 */
export * from './errors.ts';
export * from './labels/provider-code.ts';
export * from './labels/implicit/types.ts';
export * from './labels/implicit/gb45438.ts';
export { readXmpLabels, writeXmpLabels, removeXmpLabels, TC260_NS, IPTC_EXT_NS } from './labels/implicit/xmp.ts';
export { collectLabels, decodeCodes, IPTC_CARRIER_PREFIX, type CollectedLabels } from './verify/labels/collect.ts';
export * from './manifest/jumbf/index.ts';
export { encodeCbor, decodeCbor } from './manifest/cbor.ts';
export { BufferSource, type ByteSource } from './binary/byte-source.ts';
export { partsLength, partsToBytes, iterateParts, type Part } from './binary/parts.ts';
export * from './binary/limits.ts';
export { STATUS, status, kindOf, type StatusCode, type StatusEntry, type StatusKind } from './verify/report/status-codes.ts';
export type * from './verify/report/report.ts';
export type { FormatHandler, FormatId, EmbedPlan, FoundLabel, ByteRange } from './formats/types.ts';
