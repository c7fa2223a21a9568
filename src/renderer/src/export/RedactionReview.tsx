import { useEffect, useRef, useState } from 'react';
import type { ExportProfile, RedactionPlanView, RedactionPreviewView } from '../../../shared/ipc/researchSchemas.js';
import type { TestimonyView } from '../../../shared/ipc/outputSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';
import { useVaultAnswer } from '../api/useVaultAnswer';
import { ErrorNotice } from '../common/ErrorNotice';
import { isMessageKey } from '../i18n/messages';
import { useI18n } from '../i18n/useI18n';
import { splitByHighlights } from '../research/splitByHighlights';
import { ImageRegions } from './ImageRegions';

type Props = {
  testimonyId: string;
  profile: ExportProfile;
  plan: RedactionPlanView;
  onPlanChange: (plan: RedactionPlanView) => void;
  onFailure: (failure: IpcFailure) => void;
};

/** Pseudonym ranges in the redacted transcript, from the preview's events (offsets into the redacted text). */
function pseudonymRanges(preview: RedactionPreviewView): { start: number; end: number }[] {
  return preview.events
    .filter((event) => event.field === 'transcript')
    .map((event) => ({ start: event.offset, end: event.offset + event.pseudonym.length }))
    .filter((range) => preview.transcript.slice(range.start, range.end).startsWith('['));
}

/**
 * One testimony's redactions, in context: each suggestion to accept or reject, passages the
 * documenter marks in the original, and the text as the export would write it. Nothing here
 * renders HTML; the original sits in a read-only text area so a selection gives exact offsets.
 */
export function RedactionReview({ testimonyId, profile, plan, onPlanChange, onFailure }: Props) {
  const { t, formatNumber } = useI18n();
  const [testimony, setTestimony] = useState<TestimonyView | null>(null);
  const [actionFailure, setFailure] = useState<IpcFailure | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const original = useRef<HTMLTextAreaElement | null>(null);

  useEffect(() => {
    let current = true;
    void callVault('testimony:get', { id: testimonyId }).then((answer) => {
      if (!current) return;
      if (answer.ok) setTestimony(answer.value);
      else onFailure(answer);
    });
    return () => {
      current = false;
    };
  }, [testimonyId, onFailure]);

  const previewAnswer = useVaultAnswer('redaction:preview', { testimonyId, profile, plan }, onFailure);
  const preview: RedactionPreviewView | null = previewAnswer.value;
  const failure = actionFailure ?? previewAnswer.failure;

  // Every change of the plan clears an earlier action's error and the "saved" note.
  const changePlan = (next: typeof plan) => {
    setFailure(null);
    setSavedAt(null);
    onPlanChange(next);
  };

  const decide = (index: number, decision: 'accept' | 'reject') => {
    changePlan({ ...plan, suggestions: plan.suggestions.map((suggestion, at) => (at === index ? { ...suggestion, decision } : suggestion)) });
  };

  const markSelection = async () => {
    const area = original.current;
    if (!area || !testimony || area.selectionEnd <= area.selectionStart) return;
    const answer = await callVault('redaction:span', { testimonyId, version: testimony.version, field: 'transcript', start: area.selectionStart, end: area.selectionEnd });
    if (!answer.ok) {
      setFailure(answer);
      return;
    }
    const span = answer.value;
    if (plan.spans.some((existing) => existing.field === span.field && existing.start === span.start && existing.end === span.end)) return;
    changePlan({ ...plan, spans: [...plan.spans, { ...span, reason: 'marked by the documenter' }] });
  };

  const removeSpan = (index: number) => {
    changePlan({ ...plan, spans: plan.spans.filter((_, at) => at !== index) });
  };

  const save = async () => {
    const answer = await callVault('redaction:save', { testimonyId, plan });
    setFailure(answer.ok ? null : answer);
    if (answer.ok) setSavedAt(t('export.redaction.saved'));
  };

  const startOver = async () => {
    const answer = await callVault('redaction:draft', { testimonyId, fresh: true });
    if (!answer.ok) return setFailure(answer);
    changePlan(answer.value.plan);
  };

  const categoryLabel = (category: string) => {
    const key = `export.category.${category}`;
    return isMessageKey(key) ? t(key) : category;
  };

  return (
    <div className="redaction-review" data-testimony={testimonyId}>
      <ErrorNotice failure={failure} />
      {failure?.code === 'INVALID_INPUT' ? (
        <button type="button" className="start-over" onClick={() => void startOver()}>{t('export.redaction.startOver')}</button>
      ) : null}
      <section aria-labelledby="suggestions-heading">
        <h4 id="suggestions-heading">{t('export.redaction.suggestions', { count: formatNumber(plan.suggestions.length) })}</h4>
        {plan.suggestions.length === 0 ? <p className="muted">{t('export.redaction.noSuggestions')}</p> : (
        <ul className="suggestions">
          {plan.suggestions.map((suggestion, index) => (
            <li key={suggestion.id ?? `${suggestion.text}-${index}`} className={`suggestion decision-${suggestion.decision}`}>
              <bdi className="suggestion-text">{suggestion.text}</bdi>
              <span className="badge">{categoryLabel(suggestion.category)}</span>
              {suggestion.occurrences !== undefined ? <span className="muted">{t('export.redaction.occurrences', { count: formatNumber(suggestion.occurrences) })}</span> : null}
              <span className="decision" role="group" aria-label={t('export.redaction.decision')}>
                <button type="button" className={suggestion.decision === 'accept' ? 'chip on' : 'chip'} aria-pressed={suggestion.decision === 'accept'} onClick={() => decide(index, 'accept')}>{t('export.redaction.accept')}</button>
                <button type="button" className={suggestion.decision === 'reject' ? 'chip on' : 'chip'} aria-pressed={suggestion.decision === 'reject'} onClick={() => decide(index, 'reject')}>{t('export.redaction.reject')}</button>
              </span>
            </li>
          ))}
        </ul>
        )}
      </section>
      <div className="redaction-columns">
        <section aria-labelledby="original-heading">
          <h4 id="original-heading">{t('export.redaction.original')}</h4>
          <textarea ref={original} name="original-transcript" className="original" dir="auto" readOnly value={testimony?.transcript ?? ''} lang={testimony?.language} />
          <button type="button" className="mark-selection" onClick={() => void markSelection()}>{t('export.redaction.markSelection')}</button>
          {plan.spans.length > 0 ? (
            <ul className="spans">
              {plan.spans.map((span, index) => (
                <li key={`${span.field}-${span.start}-${span.end}`}>
                  <bdi>«{testimony ? fieldSlice(testimony, span.field, span.start, span.end) : ''}»</bdi>
                  <button type="button" className="quiet" onClick={() => removeSpan(index)}>{t('export.redaction.removeSpan')}</button>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
        <section aria-labelledby="preview-heading">
          <h4 id="preview-heading">{t('export.redaction.preview')}</h4>
          <div className="preview-text" dir="auto" lang={testimony?.language}>
            {preview ? splitByHighlights(preview.transcript, pseudonymRanges(preview)).map((piece, index) => (piece.marked ? <mark key={index} className="pseudonym">{piece.text}</mark> : <span key={index}>{piece.text}</span>)) : null}
          </div>
          {preview?.warnings.map((warning) => <p key={warning} className="muted warning" dir="ltr">{warning}</p>)}
        </section>
      </div>
      <ImageRegions testimonyId={testimonyId} plan={plan} onPlanChange={(next) => { onPlanChange(next); setSavedAt(null); }} onFailure={onFailure} />
      <div className="actions">
        <button type="button" className="save-plan" onClick={() => void save()}>{t('export.redaction.save')}</button>
        {savedAt ? <span className="muted" role="status">{savedAt}</span> : null}
      </div>
    </div>
  );
}

function fieldSlice(testimony: TestimonyView, field: string, start: number, end: number): string {
  const text = field === 'title' ? testimony.title : field === 'summary' ? testimony.summary : field === 'transcript' ? testimony.transcript : '';
  return text.slice(start, end);
}
