import { useId, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n';

/**
 * A consequential action in two steps: the first button opens the
 * confirmation (with its text, and a required reason when asked), the second
 * runs it. Focus moves into the confirmation; a missing reason is said next
 * to the field.
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
  const { t } = useI18n();
  const id = useId();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  if (!open) {
    return (
      <button type="button" className={danger ? 'button-danger' : 'button-secondary'} onClick={onOpen} data-testid={testId && `${testId}-open`}>
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
    <div className="confirm-step" role="group" aria-labelledby={`${id}-text`} data-testid={testId}>
      <p id={`${id}-text`}>{text}</p>
      {reasonLabel ? (
        <div className="form-field">
          <label htmlFor={`${id}-reason`}>{reasonLabel}</label>
          {reasonHelp ? (
            <span className="form-help" id={`${id}-help`}>
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
            <span className="form-invalid" id={`${id}-missing`} role="alert">
              {t('common.reasonRequired')}
            </span>
          ) : null}
        </div>
      ) : null}
      <div className="form-actions">
        <button
          type="button"
          className={danger ? 'button-danger' : undefined}
          disabled={pending}
          onClick={confirm}
          autoFocus={!reasonLabel}
          data-testid={testId && `${testId}-confirm`}
        >
          {confirmLabel}
        </button>
        <button type="button" className="button-secondary" onClick={onCancel} disabled={pending}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
