// Packaging for Testimony Vault (`npm run dist`). It needs the Electron binary and, for each
// target, its platform's tools, so it cannot run on the air-gapped build machine: see README.
// tests/electron/packaging.test.ts holds this configuration to the hardening rules.

/** @type {import('electron-builder').Configuration} */
export const builderConfig = {
  appId: 'org.testimonyvault.desktop',
  productName: 'Testimony Vault',
  copyright: 'Testimony Vault contributors',
  directories: { output: 'dist', buildResources: 'build' },
  // Only the built app and its runtime dependencies; never sources, tests, fixtures or docs.
  files: ['out/**/*', 'package.json', '!**/*.map'],
  asar: true,
  // Native modules and the libsodium file the Argon2id and blob-sealing workers load by path.
  asarUnpack: ['**/*.node', 'node_modules/libsodium-sumo/**', 'node_modules/libsodium-wrappers-sumo/**', 'node_modules/sharp/**', 'node_modules/@img/**'],
  npmRebuild: true,
  // Electron fuses, flipped in the packaged binary (electron-builder applies them with @electron/fuses).
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  linux: { target: ['AppImage', 'deb'], category: 'Office', maintainer: 'Testimony Vault contributors' },
  deb: { depends: [] },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  mac: { target: ['dmg'], category: 'public.app-category.productivity', hardenedRuntime: true },
  // No auto-update channel and no network at run time: updates are installed by hand, offline.
  publish: null,
};

export default builderConfig;
