// Types for tests/electron/packaging.test.ts (the config itself is plain JS, read by electron-builder).
export type BuilderConfig = {
  [option: string]: unknown;
  files: string[];
  asar: boolean;
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
  publish: null;
};
export declare const builderConfig: BuilderConfig;
export default builderConfig;
