/**
 * The response schemas of the C2PA Soft Binding Resolution API (OpenAPI 3.0.3, "C2PA Soft Binding
 * Resolution API" 1.0.0, components `c2pa.softBindingQueryResult` and `c2pa.softBindingAlgList`),
 * written out as JSON Schema so the tests validate the service's answers against the specification's
 * shapes with a real validator (ajv). `additionalProperties: false` is ours: it makes a stray field fail.
 */
import { Ajv } from 'ajv';

/** c2pa.softBindingQueryResult */
export const SOFT_BINDING_QUERY_RESULT = {
  type: 'object',
  required: ['matches'],
  additionalProperties: false,
  properties: {
    matches: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          manifestId: { type: 'string' },
          endpoint: { type: 'string' },
          similarityScore: { type: 'integer', minimum: 0, maximum: 100 },
        },
        required: ['manifestId'],
      },
    },
  },
} as const;

/** c2pa.softBindingAlgList */
export const SOFT_BINDING_ALG_LIST = {
  type: 'object',
  additionalProperties: false,
  anyOf: [{ required: ['watermarks'] }, { required: ['fingerprints'] }],
  properties: {
    watermarks: { type: 'array', items: { type: 'object', properties: { alg: { type: 'string' } }, required: ['alg'] } },
    fingerprints: { type: 'array', items: { type: 'object', properties: { alg: { type: 'string' } }, required: ['alg'] } },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
const validators = { queryResult: ajv.compile(SOFT_BINDING_QUERY_RESULT), algList: ajv.compile(SOFT_BINDING_ALG_LIST) };

/** The validation errors of `value` against a schema ([] when it conforms). */
export function schemaErrors(schema: keyof typeof validators, value: unknown): string[] {
  const v = validators[schema];
  return v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
