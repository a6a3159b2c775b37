import { useId, useState } from 'react';
import { useI18n } from '../i18n';

/**
 * A value to copy (a URL, a token, a DNS record): a read-only field with a
 * copy button, and the outcome said in a live region. When the clipboard is
 * refused, the text is selected for the user to copy.
 */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const { t } = useI18n();
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
    <div className="copy-field" data-testid={testId}>
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} type="text" readOnly value={value} onFocus={(event) => event.target.select()} spellCheck={false} />
        <button
          type="button"
          className="button-secondary"
          onClick={() => void copy()}
          aria-label={t('common.copyWhat', { what: label })}
        >
          {t('common.copy')}
        </button>
      </div>
      <span role="status" className="copy-status">
        {outcome === 'copied' ? t('common.copied') : outcome === 'failed' ? t('common.copyFailed') : ''}
      </span>
    </div>
  );
}
