/** Moved to `scripts/support/sdk-edit.ts` (shared by the fixture scripts and the tests); kept so existing imports work. */
export * from '../../scripts/support/sdk-edit.ts';
