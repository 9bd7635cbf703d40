/**
 * Neutral JUMBF (ISO/IEC 19566-5) tree. A superbox keeps the exact bytes of its
 * payload (everything after its box header) because C2PA hashed URIs hash exactly
 * those bytes; content boxes keep their payload verbatim.
 */

/** The `jumd` description box of a superbox. */
export interface JumbfDescription {
  /** 16-byte content-type UUID. */
  readonly type: Uint8Array;
  /** Toggle byte as stored (0x01 requestable, 0x02 label, 0x04 id, 0x08 hash, 0x10 private box). */
  readonly toggles: number;
  /** UTF-8 label (toggle 0x02). */
  readonly label?: string;
  /** Numeric ID (toggle 0x04). */
  readonly id?: number;
  /** 32-byte SHA-256 signature of the payload (toggle 0x08). */
  readonly hash?: Uint8Array;
  /** Private box (toggle 0x10), e.g. the C2PA salt box `c2sh`. */
  readonly privateBox?: { readonly type: string; readonly payload: Uint8Array };
}

/** A plain (content) box: `cbor`, `json`, `bfdb`, `bidb`, `uuid`, ... */
export interface JumbfContentBox {
  readonly kind: 'box';
  /** Four-character box type. */
  readonly type: string;
  /** Box payload (after the header). */
  readonly payload: Uint8Array;
  /** Offset of the box header within the parsed buffer. */
  readonly offset: number;
  /** Header length: 8, or 16 with an XLBox. */
  readonly headerLength: number;
}

/** A `jumb` superbox. */
export interface JumbfSuperbox {
  readonly kind: 'superbox';
  readonly description: JumbfDescription;
  /** Child boxes after the description box, in order. */
  readonly children: readonly JumbfNode[];
  /** Exact payload bytes: description box + children, without this box's header. */
  readonly payload: Uint8Array;
  /** Offset of the box header within the parsed buffer. */
  readonly offset: number;
  /** Header length: 8, or 16 with an XLBox. */
  readonly headerLength: number;
}

/** Any JUMBF node. */
export type JumbfNode = JumbfSuperbox | JumbfContentBox;

/** Description box toggle bits. */
export const TOGGLE = {
  REQUESTABLE: 0x01,
  LABEL: 0x02,
  ID: 0x04,
  HASH: 0x08,
  PRIVATE: 0x10,
} as const;
