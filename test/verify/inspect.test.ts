/**
 * `inspect()` and its text tree: every manifest (active first) with signer details, actions,
 * ingredients and assertions (decoded, thumbnails with format and size), the label with
 * provider codes decoded and carriers, the chain with creation at the root, every code.
 */
import { describe, expect, it } from 'vitest';
import { formatInspectTree, inspect } from '../../src/service/inspect.ts';
import { formatVerifySummary } from '../../src/verify/render/format-summary.ts';
import { node, renderTree } from '../../src/verify/render/text-tree.ts';
import { gen } from '../helpers.ts';
import { roots, vfx } from './helpers.ts';

describe('renderTree', () => {
  it('draws branches and continuation lines', () => {
    expect(renderTree([node('a', [node('b'), node('c', [node('d')])]), node('e')])).toEqual([
      '├─ a',
      '│  ├─ b',
      '│  └─ c',
      '│     └─ d',
      '└─ e',
    ]);
  });
});

describe('inspect', () => {
  it('shows a three-manifest SDK chain, active first, creation at the chain root', async () => {
    const r = await inspect(vfx('chain-3.jpg'), { trust: { anchorsPem: roots() } });
    const labels = Object.keys(r.manifests);
    expect(labels).toHaveLength(3);
    const tree = formatInspectTree(r, 'chain-3.jpg');
    const lines = tree.split('\n');
    const activeLine = lines.findIndex((l) => l.includes(`[active] ${r.active_manifest}`));
    const otherLine = lines.findIndex((l) => l.includes(r.chain[0]!.manifest) && l.includes('claim v2'));
    expect(activeLine).toBeGreaterThan(0);
    expect(otherLine).toBeGreaterThan(activeLine);
    expect(tree).toContain('subject: O=Example Platform B, OU=propagator, CN=Platform B Publishing');
    expect(tree).toContain('issuer: O=AIGC Test ES256, CN=AIGC Test ES256 Intermediate CA');
    expect(tree).toMatch(/serial: \d+/);
    expect(tree).toContain(
      'provider code: 001191000000EXAMPLEB3920001 (USCC 91000000EXAMPLEB39, organisation, service content propagation, model 0001)',
    );
    expect(tree).toMatch(/\[0\] creation: urn:c2pa:\S+ — Trusted/);
    expect(tree).toMatch(/\[2\] edit: urn:c2pa:\S+ — Trusted/);
    expect(tree.indexOf('[0] creation')).toBeLessThan(tree.indexOf('[2] edit'));
    expect(tree).toContain('c2pa.ingredient.v3: parentOf image/jpeg → urn:c2pa:');
    expect(tree).toContain('✓ ingredient.manifest.validated: ingredient hash matched');
    expect(tree).toContain('c2pa.thumbnail.claim (image/jpeg, ');
  });

  it('decodes every assertion (thumbnails with media type and size)', async () => {
    const r = await inspect(vfx('sdk-es256.jpg'));
    const d = r.manifests[r.active_manifest!]!.details!;
    expect(d.map((x) => x.label).sort()).toEqual(['c2pa.actions.v2', 'c2pa.hash.data', 'c2pa.thumbnail.claim']);
    const thumb = d.find((x) => x.label === 'c2pa.thumbnail.claim')!;
    expect(thumb.media_type).toBe('image/jpeg');
    expect(thumb.size).toBeGreaterThan(1000);
    expect(d.find((x) => x.label === 'c2pa.hash.data')).toMatchObject({
      listed: 'created',
      data: { name: 'jumbf manifest', alg: 'sha256' },
    });
  });

  it('shows an unsigned label with provider codes decoded and where it was found', async () => {
    const r = await inspect(gen('images', 'doubao-like.jpg'));
    const tree = formatInspectTree(r, 'doubao-like.jpg');
    expect(tree).toContain('manifest store: none');
    expect(tree).toContain('Label: 1 (AI-generated)');
    expect(tree).toContain(
      'ContentProducer: 001191000000EXAMPLE01P10000 (USCC 91000000EXAMPLE01P, organisation, service generation/synthesis, model 0000)',
    );
    expect(tree).toContain('found in: XMP (APP1)');
    expect(tree).toContain('i gb45438.label.unsigned');
    expect(formatVerifySummary(r, 'doubao-like.jpg')).toContain('unsigned label only');
  });
});
