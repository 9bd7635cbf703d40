/** What platforms do to an image, as sharp pipelines on encoded bytes. */
import sharp, { type Sharp } from 'sharp';

/** A named transformation, with the recovery target (null: reported only). */
export interface Transform {
  name: string;
  target: number | null;
  apply(bytes: Uint8Array): Promise<Uint8Array>;
}

async function dims(b: Uint8Array): Promise<{ w: number; h: number }> {
  const m = await sharp(b).metadata();
  return { w: m.width!, h: m.height! };
}
const out = async (s: Sharp) => new Uint8Array(await s.toBuffer());

/** The list. */
export const TRANSFORMS: Transform[] = [
  { name: 'none', target: null, apply: async (b) => b },
  { name: 'jpeg-q75', target: 0.99, apply: (b) => out(sharp(b).jpeg({ quality: 75 })) },
  {
    name: 'resize-0.5',
    target: 0.99,
    apply: async (b) => {
      const { w, h } = await dims(b);
      return out(
        sharp(b)
          .resize(Math.round(w / 2), Math.round(h / 2))
          .png(),
      );
    },
  },
  {
    name: 'resize-0.5+jpeg-q75',
    target: 0.99,
    apply: async (b) => {
      const { w, h } = await dims(b);
      return out(
        sharp(b)
          .resize(Math.round(w / 2), Math.round(h / 2))
          .jpeg({ quality: 75 }),
      );
    },
  },
  { name: 'jpeg-q50', target: 0.95, apply: (b) => out(sharp(b).jpeg({ quality: 50 })) },
  { name: 'webp-q75', target: 0.99, apply: (b) => out(sharp(b).webp({ quality: 75 })) },
  {
    name: 'platform-1080-jpeg-q80-stripped',
    target: 0.99,
    apply: (b) => out(sharp(b).resize(1080, 1080, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 80 })),
  },
  {
    name: 'crop-80pct-area',
    target: null,
    apply: async (b) => {
      const { w, h } = await dims(b);
      const cw = Math.round(w * Math.sqrt(0.8)),
        ch = Math.round(h * Math.sqrt(0.8));
      return out(
        sharp(b)
          .extract({ left: Math.floor((w - cw) / 2), top: Math.floor((h - ch) / 2), width: cw, height: ch })
          .png(),
      );
    },
  },
  { name: 'brightness-1.2', target: null, apply: (b) => out(sharp(b).linear(1.2, 0).png()) },
  { name: 'rotate-5deg', target: null, apply: (b) => out(sharp(b).rotate(5, { background: '#808080' }).png()) },
];
