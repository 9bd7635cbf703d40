/**
 * `c2pa.actions.v2` (written) and `c2pa.actions` v1 (read) — C2PA 2.2 §18.14; profile §2.1.
 */
import { InvalidArgumentError, MalformedInputError, said } from '../../errors.ts';
import { isCborMap, Tag } from '../cbor.ts';
import { readHashedUri, type HashedUri } from '../hashed-uri.ts';

/** Label we write. */
export const ACTIONS_LABEL = 'c2pa.actions.v2';
/** v1 label (read only). */
export const ACTIONS_V1_LABEL = 'c2pa.actions';
/** IPTC digital source type for AI-generated media. */

/** The software that performed an action. */
export interface SoftwareAgent {
  readonly name: string;
  readonly version?: string;
  readonly [key: string]: unknown;
}

/** One action as normalised for readers. */
export interface Action {
  readonly action: string;
  /** ISO 8601 time. */
  readonly when?: string;
  readonly softwareAgent?: SoftwareAgent;
  readonly digitalSourceType?: string;
  readonly description?: string;
  readonly changes?: unknown[];
  readonly parameters?: Record<string, unknown>;
  /** Ingredient references: v2 `parameters.ingredients`, v1 `parameters.ingredient`. */
  readonly ingredients: HashedUri[];
  /** The decoded map as stored. */
  readonly data: Record<string, unknown>;
}

/** A decoded actions assertion. */
export interface ActionsAssertion {
  readonly version: 1 | 2;
  readonly actions: Action[];
  readonly allActionsIncluded?: boolean;
}

/** Input for one action we write. */
export interface ActionInput {
  readonly action: string;
  readonly when?: string | Date;
  readonly softwareAgent?: SoftwareAgent;
  readonly digitalSourceType?: string;
  readonly description?: string;
  readonly changes?: unknown[];
  readonly parameters?: Record<string, unknown> & { ingredients?: HashedUri[] };
}

/**
 * Build `c2pa.actions.v2` data. The first action must be `c2pa.created` (with a
 * `digitalSourceType`) or `c2pa.opened`, as c2pa-rs requires.
 * @throws {InvalidArgumentError} for an empty list, a missing action name, a wrong first
 * action, a second created/opened, or `c2pa.created` without `digitalSourceType`.
 */
export function buildActions(actions: readonly ActionInput[], allActionsIncluded?: boolean): Record<string, unknown> {
  if (!Array.isArray(actions) || actions.length === 0) throw InvalidArgumentError.expected('a non-empty array', 'actions', actions);
  const out = actions.map((a, i) => {
    if (!a || typeof a.action !== 'string' || !a.action)
      throw InvalidArgumentError.expected('an action name', `actions[${i}].action`, a?.action);
    const first = a.action === 'c2pa.created' || a.action === 'c2pa.opened';
    if (i === 0 && !first) throw InvalidArgumentError.expected('"c2pa.created" or "c2pa.opened"', 'actions[0].action', a.action);
    if (i > 0 && first) throw InvalidArgumentError.expected('no second created/opened action', `actions[${i}].action`, a.action);
    if (a.action === 'c2pa.created' && !a.digitalSourceType)
      throw InvalidArgumentError.expected('a digitalSourceType URI', `actions[${i}].digitalSourceType`, a.digitalSourceType);
    const when = a.when instanceof Date ? a.when.toISOString() : a.when;
    return {
      action: a.action,
      when: when === undefined ? undefined : new Tag(when, 0),
      softwareAgent: a.softwareAgent,
      digitalSourceType: a.digitalSourceType,
      description: a.description,
      changes: a.changes,
      parameters: a.parameters,
    };
  });
  return allActionsIncluded === undefined ? { actions: out } : { actions: out, allActionsIncluded };
}

/**
 * Read v1 or v2 actions.
 * @throws {MalformedInputError} when `actions` is missing or an entry has no action name.
 */
export function readActions(data: unknown, version: 1 | 2): ActionsAssertion {
  if (!isCborMap(data) || !Array.isArray(data.actions))
    throw new MalformedInputError('c2pa.actions', said('err.c2pa.noActionsArray', 'no actions array'));
  const actions = data.actions.map((a, i): Action => {
    if (!isCborMap(a) || typeof a.action !== 'string')
      throw new MalformedInputError('c2pa.actions', said('err.c2pa.actionsHasNoAction', 'actions[{i}] has no action name', { i }));
    const p = isCborMap(a.parameters) ? a.parameters : undefined;
    const refs: unknown[] = Array.isArray(p?.ingredients)
      ? (p!.ingredients as unknown[])
      : p?.ingredient !== undefined
        ? [p.ingredient]
        : [];
    const ingredients: HashedUri[] = [];
    for (const r of refs) {
      try {
        ingredients.push(readHashedUri(r, `actions[${i}].parameters.ingredients`));
      } catch (err) {
        throw new MalformedInputError('c2pa.actions', (err as Error).message, undefined, { cause: err });
      }
    }
    const sa = a.softwareAgent;
    const softwareAgent =
      typeof sa === 'string' ? { name: sa } : isCborMap(sa) && typeof sa.name === 'string' ? (sa as SoftwareAgent) : undefined;
    const when = typeof a.when === 'string' ? a.when : a.when instanceof Tag && typeof a.when.value === 'string' ? a.when.value : undefined;
    return {
      action: a.action,
      when,
      softwareAgent,
      digitalSourceType: typeof a.digitalSourceType === 'string' ? a.digitalSourceType : undefined,
      description: typeof a.description === 'string' ? a.description : undefined,
      changes: Array.isArray(a.changes) ? a.changes : undefined,
      parameters: p,
      ingredients,
      data: a,
    };
  });
  return { version, actions, allActionsIncluded: typeof data.allActionsIncluded === 'boolean' ? data.allActionsIncluded : undefined };
}
