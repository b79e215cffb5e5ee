/** The release version (root package.json), put in by vite.config.ts. */
declare const __SAUTI_VERSION__: string;
