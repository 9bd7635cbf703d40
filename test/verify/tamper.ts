/** Moved to `scripts/support/tamper.ts` (shared by the fixture scripts and the tests); kept so existing imports work. */
export * from '../../scripts/support/tamper.ts';
