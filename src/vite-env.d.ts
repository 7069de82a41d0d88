/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** "true" in the browser-only demo build: /api/* is answered by MSW fixtures. */
  readonly VITE_MSW?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
