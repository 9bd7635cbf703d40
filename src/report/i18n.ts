/**
 * Choosing the language of the report and looking messages up: the toolkit's one catalogue and
 * language choice live in `src/i18n/` (see lang.ts); this module keeps the report's imports.
 */
export { LANGS, langFromEnv, parseLang, t, translator, type Lang, type MessageKey, type Translate } from '../i18n/lang.ts';
