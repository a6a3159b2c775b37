/** Pieces the protection pages share: reason labels, a copyable field, a confirm step. */
import { useId, useState, type ReactNode } from 'react';
import { translateDynamic, useI18n, useT } from '../../i18n';
import type { ApiError, Organisation } from '../../api';

/**
 * A reason code from the hub ("below_confidence", "single_source") in the
 * current language; an unknown one is "another reason", never the raw code.
 */
export function useReasonLabel(): (prefix: 'reason' | 'monitor', code: string) => string {
  const { lang } = useI18n();
  const t = useT('protection');
  return (prefix, code) => translateDynamic(lang, `protection.${prefix}.${code}`) ?? t('reason.other');
}

/** Organisation names by code, falling back to the code. */
export function nameOf(orgs: ReadonlyMap<string, Organisation>, code: string): string {
  return orgs.get(code)?.name ?? code;
}

/** The field a hub error names ("allow.domains[2]: …" -> "allow.domains[2]"), or null. */
export function refusedField(error: ApiError): string | null {
  const match = /^([a-z_]+(?:\.[a-z_]+)?(?:\[\d+\])?):/.exec(error.serverMessage ?? '');
  return match?.[1] ?? null;
}

/** A value to copy (a URL, a token): a read-only field with a copy button and its outcome. */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const t = useT('protection');
  const id = useId();
  const [outcome, setOutcome] = useState<'copied' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setOutcome('copied');
    } catch {
      const input = document.getElementById(id) as HTMLInputElement | null;
      input?.select();
      setOutcome('failed');
    }
  };
  return (
    <div className="prot-copy" data-testid={testId}>
      <label htmlFor={id}>{label}</label>
      <div className="prot-copy-row">
        <input id={id} type="text" readOnly value={value} onFocus={(event) => event.target.select()} spellCheck={false} />
        <button type="button" className="button-secondary" onClick={() => void copy()} aria-label={t('copyWhat', { what: label })}>
          {t('copy')}
        </button>
      </div>
      <span role="status" className="prot-copy-status">
        {outcome === 'copied' ? t('copied') : outcome === 'failed' ? t('copyFailed') : ''}
      </span>
    </div>
  );
}

/**
 * A consequential action in two steps: the first button opens the
 * confirmation (with its text, and a required reason when asked), the second
 * runs it. Focus moves into the confirmation and back.
 */
export function ConfirmStep({
  open,
  label,
  text,
  confirmLabel,
  reasonLabel,
  reasonHelp,
  pending,
  danger,
  onOpen,
  onCancel,
  onConfirm,
  testId,
}: {
  open: boolean;
  label: string;
  text: ReactNode;
  confirmLabel: string;
  reasonLabel?: string;
  reasonHelp?: string;
  pending: boolean;
  danger?: boolean;
  onOpen: () => void;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
  testId?: string;
}) {
  const t = useT('protection');
  const id = useId();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  if (!open) {
    return (
      <button type="button" className={danger ? 'prot-danger' : 'button-secondary'} onClick={onOpen} data-testid={testId && `${testId}-open`}>
        {label}
      </button>
    );
  }
  const confirm = () => {
    if (reasonLabel && reason.trim() === '') {
      setMissing(true);
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    onConfirm(reason.trim());
  };
  return (
    <div className="prot-confirm" role="group" aria-labelledby={`${id}-text`} data-testid={testId}>
      <p id={`${id}-text`}>{text}</p>
      {reasonLabel ? (
        <div className="prot-field">
          <label htmlFor={`${id}-reason`}>{reasonLabel}</label>
          {reasonHelp ? (
            <span className="prot-help" id={`${id}-help`}>
              {reasonHelp}
            </span>
          ) : null}
          <textarea
            id={`${id}-reason`}
            rows={2}
            value={reason}
            autoFocus
            aria-invalid={missing || undefined}
            aria-describedby={[reasonHelp ? `${id}-help` : '', missing ? `${id}-missing` : ''].join(' ').trim() || undefined}
            onChange={(event) => {
              setReason(event.target.value);
              setMissing(false);
            }}
            data-testid={testId && `${testId}-reason`}
          />
          {missing ? (
            <span className="prot-invalid" id={`${id}-missing`} role="alert">
              {t('reasonRequired')}
            </span>
          ) : null}
        </div>
      ) : null}
      <div className="prot-actions">
        <button
          type="button"
          className={danger ? 'prot-danger' : undefined}
          disabled={pending}
          onClick={confirm}
          autoFocus={!reasonLabel}
          data-testid={testId && `${testId}-confirm`}
        >
          {confirmLabel}
        </button>
        <button type="button" className="button-secondary" onClick={onCancel} disabled={pending}>
          {t('cancel')}
        </button>
      </div>
    </div>
  );
}
