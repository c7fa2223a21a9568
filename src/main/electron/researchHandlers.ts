import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import {
  BundleViewSchema, ExportOutcomeSchema, SearchIndexReportSchema, type BundleView, type ExportOutcome, type ExportReportView, type ResearchChannel,
  type SearchIndexReport,
} from '../../shared/ipc/researchSchemas.js';
import { VaultError } from '../core/errors.js';
import { BundleError } from '../core/export/BundleError.js';
import { checkConsent } from '../core/export/checkConsent.js';
import { isExportError } from '../core/export/ExportError.js';
import type { ExportReport } from '../core/export/exportReport.js';
import { readBundleInMemory } from '../core/export/readBundleInMemory.js';
import { verifyBundle } from '../core/export/verifyBundle.js';
import { RedactionPlanError } from '../core/redaction/RedactionPlanError.js';
import { analyticsCsv } from '../core/search/analyticsCsv.js';
import type { VaultService } from '../core/VaultService.js';
import type { Implementations, IpcContext } from './ipcHandlers.js';

/**
 * What the research side needs from its host: main-process dialogs (the renderer never sends a
 * path) and the app version stamped into bundles. Electron: `electronResearchHost`; the e2e bridge
 * and the tests supply their own. Each chooser resolves to null when the user cancelled.
 */
export type ResearchHost = {
  appVersion: string;
  /** Where to write the analytics CSV. */
  chooseCsvPath(defaultName: string): Promise<string | null>;
  /** A new (or empty) folder for an export bundle. */
  chooseExportFolder(defaultName: string): Promise<string | null>;
  /** A received bundle's folder. */
  chooseBundleFolder(): Promise<string | null>;
  /** The lawyer's age identity file (key.txt). */
  chooseIdentityFile(): Promise<string | null>;
};

/** An age identity file is a few lines; anything much larger is not one. */
const MAX_IDENTITY_FILE_BYTES = 64 * 1024;

/** Builds the host from Electron's dialog module; every dialog is modal to the app's window. */
export function electronResearchHost(dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>, window: () => BrowserWindow | null, appVersion: string): ResearchHost {
  const save = async (defaultPath: string, filters: { name: string; extensions: string[] }[]) => {
    const owner = window();
    const options = { defaultPath, filters, properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const] };
    const answer = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
    return answer.canceled || !answer.filePath ? null : answer.filePath;
  };
  const open = async (properties: ('openFile' | 'openDirectory')[]) => {
    const owner = window();
    const answer = owner ? await dialog.showOpenDialog(owner, { properties }) : await dialog.showOpenDialog({ properties });
    return answer.canceled ? null : (answer.filePaths[0] ?? null);
  };
  return {
    appVersion,
    chooseCsvPath: (defaultName) => save(defaultName, [{ name: 'CSV', extensions: ['csv'] }]),
    chooseExportFolder: (defaultName) => save(defaultName, []),
    chooseBundleFolder: () => open(['openDirectory']),
    chooseIdentityFile: () => open(['openFile']),
  };
}

function requireHost(ctx: IpcContext): ResearchHost {
  if (!ctx.research) throw new VaultError('IO_ERROR', 'this window cannot open file dialogs');
  return ctx.research;
}

/** Core's plan and export refusals are not VaultErrors; they cross as INVALID_INPUT with core's sentence. */
function asInputError(error: unknown): unknown {
  if (error instanceof RedactionPlanError || isExportError(error)) return new VaultError('INVALID_INPUT', error.message);
  return error;
}

function reportView(report: ExportReport): ExportReportView {
  return {
    ...report,
    folderName: path.basename(report.outDir),
    items: report.items.map((item) => ({
      ...item,
      media: item.media.map((media) => (media.status === 'included' ? { mediaId: media.mediaId, status: media.status, file: media.file, transformations: media.transformations } : media)),
    })),
  };
}

function sha256OfText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

type RedactableText = 'title' | 'summary' | 'transcript' | 'interviewPlace' | 'interviewer';

function fieldText(view: ReturnType<VaultService['getTestimony']>, field: RedactableText): string {
  return view[field] ?? '';
}

function todayName(prefix: string, now: Date, extension = ''): string {
  return `${prefix}-${now.toISOString().slice(0, 10)}${extension}`;
}

/**
 * The research and export channels. Searching and previews run in the handler queue; sealing a
 * bundle runs as a job (progress, cancel). A stopped export answers its report as a value
 * (`status: 'stopped'`): the leak check's findings are something to show, not an exception.
 */
export function researchImplementations(ctx: IpcContext, vault: () => VaultService): Pick<Implementations, ResearchChannel> {
  return {
    'search:query': (request) => vault().search(request),
    'search:ids': (request) => vault().searchIds(request),
    // Right after unlock: from the sealed snapshot, or rebuilt with progress (never fatal).
    'search:open': () => {
      const service = vault();
      return ctx.state.jobs.start<SearchIndexReport>({ kind: 'search:open', resultSchema: SearchIndexReportSchema, run: ({ onProgress, signal }) => service.openSearch({ onProgress, signal }) });
    },
    'search:reindex': () => {
      const service = vault();
      return ctx.state.jobs.start<SearchIndexReport>({ kind: 'search:reindex', resultSchema: SearchIndexReportSchema, run: ({ onProgress, signal }) => service.reindex({ onProgress, signal }) });
    },
    'search:analytics': (request) => vault().searchAnalytics(request),
    'analytics:save': async ({ request, labels, minimumCount }) => {
      const analytics = await vault().searchAnalytics(request);
      const csv = analyticsCsv(analytics, { labels, minimumCount });
      const target = await requireHost(ctx).chooseCsvPath(todayName('testimony-analytics', ctx.platform.now(), '.csv'));
      if (target === null) return { saved: false, rows: 0 };
      await fs.promises.writeFile(target, csv, { encoding: 'utf8', mode: 0o600 });
      return { saved: true, fileName: path.basename(target), rows: csv.split('\r\n').length - 2 };
    },
    'export:review': ({ testimonyIds, profile }) => {
      const service = vault();
      return [...new Set(testimonyIds)].map((testimonyId) => {
        let view: ReturnType<VaultService['getTestimony']>;
        try {
          view = service.getTestimony(testimonyId);
        } catch (error) {
          if (error instanceof VaultError && error.code === 'NOT_FOUND') {
            return { testimonyId, reference: '', title: '', consent: { ok: false as const, code: 'NOT_FOUND' as const, reason: 'no testimony with this id' }, hasSavedPlan: false };
          }
          throw error;
        }
        return { testimonyId, reference: view.reference, title: view.title, consent: checkConsent(view.consent, profile), hasSavedPlan: service.loadRedactionPlan(testimonyId) !== null };
      });
    },
    'redaction:draft': ({ testimonyId, fresh }) => {
      const saved = fresh === true ? null : vault().loadRedactionPlan(testimonyId);
      return saved ? { source: 'saved', plan: saved } : { source: 'suggested', plan: vault().suggestRedactionPlan(testimonyId) };
    },
    'redaction:preview': ({ testimonyId, profile, plan }) => {
      try {
        return vault().previewRedaction(testimonyId, profile, plan);
      } catch (error) {
        throw asInputError(error);
      }
    },
    'redaction:save': ({ testimonyId, plan }) => {
      vault().saveRedactionPlan(testimonyId, plan);
      return { saved: true as const };
    },
    'redaction:span': ({ testimonyId, version, field, start, end }) => {
      const text = fieldText(vault().getTestimony(testimonyId, version), field);
      if (end <= start || end > text.length) throw new VaultError('INVALID_INPUT', `span: ${start}–${end} is not inside the ${field} (${text.length} characters)`);
      return { field, start, end, textSha256: sha256OfText(text.slice(start, end)) };
    },
    'export:start': async (input) => {
      const service = vault();
      const outDir = await requireHost(ctx).chooseExportFolder(todayName('export', ctx.platform.now()));
      if (outDir === null) return { cancelled: true as const };
      return ctx.state.jobs.start<ExportOutcome>({
        kind: 'export:run',
        resultSchema: ExportOutcomeSchema,
        run: async ({ signal, onProgress }) => {
          try {
            const report = await service.exportBundle({
              testimonyIds: input.testimonyIds,
              profile: input.profile,
              recipients: input.recipients,
              plans: input.plans ?? {},
              skipRefused: input.skipRefused,
              outDir,
              appVersion: requireHost(ctx).appVersion,
              // Core calls this between items; throwing here makes it remove the half-written bundle.
              onProgress: (progress) => {
                if (signal.aborted) throw new VaultError('CANCELLED', 'the export was cancelled; nothing was left on disk');
                onProgress({ phase: progress.phase ?? 'exporting', done: progress.done, total: progress.total ?? null });
              },
            });
            if (signal.aborted) {
              // Cancelled after the last item: the registry reports "cancelled", so leave nothing behind that says otherwise.
              await fs.promises.rm(outDir, { recursive: true, force: true });
            }
            return { status: 'sealed', report: reportView(report) } satisfies ExportOutcome;
          } catch (error) {
            if (!isExportError(error)) throw error;
            return { status: 'stopped', code: error.code, message: error.message, report: error.report ? reportView(error.report) : null } satisfies ExportOutcome;
          }
        },
      });
    },
    // The lawyer's side needs no vault. Both files are chosen in main; the checks and decryption run as a job.
    'bundle:open': async ({ expectedSigner }) => {
      const host = requireHost(ctx);
      const bundleDir = await host.chooseBundleFolder();
      if (bundleDir === null) return { cancelled: true as const };
      // Without an identity the bundle is still verified (signature, hashes, recipients), just not decrypted.
      const identityPath = await host.chooseIdentityFile();
      const identityText = identityPath === null ? null : await readIdentityFile(identityPath);
      const signer = expectedSigner !== undefined && expectedSigner.trim() !== '' ? { expectedSigner: expectedSigner.trim() } : {};
      return ctx.state.jobs.start<BundleView>({ kind: 'bundle:open', resultSchema: BundleViewSchema, run: () => openBundleView(bundleDir, identityText, signer) });
    },
  };
}

/** verifyBundle, then (given an identity) readBundleInMemory: a refusal is a value with its code, never an exception. */
async function openBundleView(bundleDir: string, identityText: string | null, signer: { expectedSigner?: string }): Promise<BundleView> {
  const verified = await verifyBundle(bundleDir, signer);
  const base = {
    folderName: path.basename(bundleDir),
    checks: verified.checks,
    signerExpected: verified.signerExpected,
    decrypted: false,
    files: [],
    testimonies: [],
    ...(verified.signer ? { signer: verified.signer } : {}),
    ...(verified.bundleId !== undefined ? { bundleId: verified.bundleId } : {}),
    ...(verified.createdAt !== undefined ? { createdAt: verified.createdAt } : {}),
    ...(verified.profile !== undefined ? { profile: verified.profile } : {}),
    ...(verified.payload ? { payload: { ...verified.payload, recipients: verified.payload.recipients.length } } : {}),
  } satisfies Partial<BundleView>;
  if (!verified.ok) return { ...base, status: 'refused', refusal: { code: verified.code ?? 'VERIFY_FAILED', message: verified.message ?? 'the bundle did not verify' } };
  if (identityText === null) return { ...base, status: 'verified' };
  try {
    const opened = await readBundleInMemory({ bundleDir, identityText, ...signer });
    const checks = [...base.checks, { name: 'inner manifest', ok: true }, { name: 'file hashes', ok: true }];
    return { ...base, checks, status: 'opened', decrypted: true, files: opened.files, testimonies: opened.testimonies };
  } catch (error) {
    if (!(error instanceof BundleError)) throw error;
    return { ...base, checks: [...base.checks, { name: 'failed', ok: false }], status: 'refused', refusal: { code: error.code, message: error.message } };
  }
}

async function readIdentityFile(identityPath: string): Promise<string> {
  const stat = await fs.promises.stat(identityPath).catch(() => null);
  if (!stat?.isFile()) throw new VaultError('FILE_NOT_FOUND', 'the chosen identity file does not exist');
  if (stat.size > MAX_IDENTITY_FILE_BYTES) throw new VaultError('INVALID_INPUT', 'the chosen file is too large to be an age identity file');
  return fs.promises.readFile(identityPath, 'utf8');
}
