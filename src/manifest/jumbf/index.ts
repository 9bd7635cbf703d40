/** JUMBF read/write: re-exports. */
export * from './types.ts';
export * from './box.ts';
export * from './description.ts';
export * from './superbox.ts';
export * from './c2pa-types.ts';
