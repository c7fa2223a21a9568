import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builderConfig } from '../../electron-builder.config.mjs';

/** electron-builder cannot run here (no Electron binary); its configuration is checked as data. */
const repoRoot = path.resolve(import.meta.dirname, '../..');
const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as {
  properties: Record<string, unknown>;
  definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
};

describe('electron-builder configuration', () => {
  it('uses only options electron-builder knows (no silently ignored typo)', () => {
    expect(Object.keys(builderConfig).filter((key) => !(key in schema.properties))).toEqual([]);
    expect(Object.keys(builderConfig.electronFuses).filter((key) => !(key in schema.definitions.FuseOptionsV1.properties))).toEqual([]);
  });

  it('sets every fuse: no RunAsNode, no NODE_OPTIONS or inspector, asar integrity, app only from asar', () => {
    const fuseNames = Object.keys(schema.definitions.FuseOptionsV1.properties).filter((name) => name !== 'resetAdHocDarwinSignature');
    expect(Object.keys(builderConfig.electronFuses).sort()).toEqual(fuseNames.sort());
    expect(builderConfig.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    });
    expect(builderConfig.asar).toBe(true);
  });

  it('builds AppImage and deb, NSIS and dmg, and publishes nowhere', () => {
    expect(builderConfig.linux.target).toEqual(['AppImage', 'deb']);
    expect(builderConfig.win.target).toEqual(['nsis']);
    expect(builderConfig.mac.target).toEqual(['dmg']);
    expect(builderConfig.publish).toBeNull();
  });

  it('packs the built app only, never sources, tests or fixtures', () => {
    expect(builderConfig.files).toEqual(['out/**/*', 'package.json', '!**/*.map']);
  });

  it('is what `npm run dist` uses', () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['dist']).toContain('--config electron-builder.config.mjs');
  });
});
