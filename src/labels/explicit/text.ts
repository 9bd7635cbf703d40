/**
 * Label text rules (GB 45438-2025 §5.1, Labeling Measures Art. 4): every explicit text or voice
 * label names the AI element ("AI" / "人工智能") and the generation element ("生成" / "合成").
 */
import { InvalidArgumentError, said } from '../../errors.ts';

/** The default label text. */
export const DEFAULT_LABEL_TEXT = 'AI生成';

/** Longest label text accepted (characters). A label is a short prompt, not a caption. */
export const MAX_LABEL_TEXT_LENGTH = 64;

/** The "AI" element: Latin "AI" or "AIGC" (any case, as a word or next to CJK) or "人工智能". */
const AI_ELEMENT = /(^|[^A-Za-z])AI(GC)?($|[^A-Za-z])|人工智能/i;
/** The "generation" element. */
const GENERATION_ELEMENT = /生成|合成/;

/** Which required elements a text carries. */
export interface LabelTextCheck {
  readonly hasAiElement: boolean;
  readonly hasGenerationElement: boolean;
}

/** Report which GB 45438 elements `text` contains (never throws). */
export function checkLabelText(text: string): LabelTextCheck {
  return { hasAiElement: AI_ELEMENT.test(text), hasGenerationElement: GENERATION_ELEMENT.test(text) };
}

/**
 * Validate a label text and return it normalised (NFC, trimmed, inner whitespace collapsed).
 * `undefined` gives {@link DEFAULT_LABEL_TEXT}.
 * @throws {InvalidArgumentError} when the text is not a string, is empty or too long, or lacks the
 *   "AI" element ("AI" or "人工智能") or the "generation" element ("生成" or "合成").
 */
export function validateLabelText(text: unknown = DEFAULT_LABEL_TEXT, name = 'label text'): string {
  if (typeof text !== 'string') throw InvalidArgumentError.expected('a string', name, text);
  const norm = text.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (!norm) throw InvalidArgumentError.expected('a non-empty string', name, text);
  if ([...norm].length > MAX_LABEL_TEXT_LENGTH) {
    throw InvalidArgumentError.expected(`at most ${MAX_LABEL_TEXT_LENGTH} characters`, name, text);
  }
  const { hasAiElement, hasGenerationElement } = checkLabelText(norm);
  if (!hasAiElement || !hasGenerationElement) {
    const missing = [
      hasAiElement ? '' : 'the AI element ("AI" or "人工智能")',
      hasGenerationElement ? '' : 'the generation element ("生成" or "合成")',
    ]
      .filter(Boolean)
      .join(' and ');
    throw new InvalidArgumentError(
      said(
        'err.lbl.expectedGBLabelText',
        'Expected a GB 45438 label text containing "AI"/"人工智能" and "生成"/"合成" (e.g. "{DEFAULT_LABEL_TEXT}") for {name} but received {v3}: it lacks {missing}',
        { DEFAULT_LABEL_TEXT, name, v3: JSON.stringify(text), missing },
      ),
    );
  }
  return norm;
}
