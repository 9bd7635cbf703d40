/** Moved to `scripts/support/forge.ts` (shared by the fixture scripts and the tests); kept so existing imports work. */
export * from '../../scripts/support/forge.ts';
