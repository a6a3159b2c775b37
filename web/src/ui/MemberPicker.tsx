import { useId, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { navigate } from '../nav';
import type { Organisations } from './useOrganisations';

/**
 * A coordinator's way to one member's page: a list of every organisation
 * (name and code) and a button that opens `hrefOf(code)`.
 */
export function MemberPicker({
  orgs,
  label,
  hrefOf,
  testId,
}: {
  orgs: Organisations;
  label: string;
  hrefOf: (code: string) => string;
  testId?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const [code, setCode] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (code) navigate(hrefOf(code));
  };
  return (
    <form className="member-picker" onSubmit={submit} data-testid={testId}>
      <div className="form-field">
        <label htmlFor={id}>{label}</label>
        <select id={id} value={code} onChange={(event) => setCode(event.target.value)}>
          <option value="">{t('picker.choose')}</option>
          {orgs.list.map((org) => (
            <option key={org.code} value={org.code}>
              {org.name} ({org.code})
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={code === ''}>
        {t('picker.open')}
      </button>
    </form>
  );
}
