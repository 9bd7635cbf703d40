/**
 * Assertion labels (C2PA 2.2 §6.2): `<base>[.v<N>][__<instance>]`, e.g. `c2pa.actions.v2`,
 * `c2pa.ingredient.v3__1`. Repeated labels in one manifest get `__1`, `__2`, ...
 */

/** A label split into its parts. */
export interface AssertionLabel {
  /** The full label as stored. */
  readonly label: string;
  /** Label without version and instance, e.g. `c2pa.actions`. */
  readonly base: string;
  /** Version number from a `.vN` suffix (1 when absent). */
  readonly version: number;
  /** Instance from a `__N` suffix (0 when absent). */
  readonly instance: number;
}

/** Split a label into base, version and instance. */
export function parseAssertionLabel(label: string): AssertionLabel {
  let rest = label;
  let instance = 0;
  const im = /__(\d+)$/.exec(rest);
  if (im) {
    instance = Number(im[1]);
    rest = rest.slice(0, im.index);
  }
  let version = 1;
  const vm = /\.v(\d+)$/.exec(rest);
  if (vm) {
    version = Number(vm[1]);
    rest = rest.slice(0, vm.index);
  }
  return { label, base: rest, version, instance };
}

/** The label without a `__N` instance suffix. */
export function withoutInstance(label: string): string {
  return label.includes('__') ? label.replace(/__\d+$/, '') : label; // most labels have none: no regex run
}

/** Labels of hard-binding assertions (a standard manifest has exactly one). */
export const HARD_BINDING_BASES: readonly string[] = ['c2pa.hash.data', 'c2pa.hash.bmff', 'c2pa.hash.boxes', 'c2pa.hash.collection.data'];

/** Whether `label` is a hard binding (`c2pa.hash.data`, `c2pa.hash.bmff.v2/v3`, `c2pa.hash.boxes`, ...). */
export function isHardBindingLabel(label: string): boolean {
  return HARD_BINDING_BASES.includes(parseAssertionLabel(label).base);
}

/** Pattern for a label component (letters, digits, `_`, `-`, starting with a letter). */
const COMPONENT = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Whether `label` is a syntactically valid assertion label (dot-separated components). */
export function isValidAssertionLabel(label: string): boolean {
  const base = label.replace(/__\d+$/, '');
  return base.length > 0 && !base.includes('__') && base.split('.').every((c) => COMPONENT.test(c));
}
