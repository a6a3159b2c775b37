import { useId, useState } from 'react';
import { useT } from '../../i18n';
import { AsyncView } from '../../ui/AsyncView';
import { ConfirmStep } from '../../ui/ConfirmStep';
import { HubDetail } from '../../ui/HubDetail';
import { useAction } from '../../ui/useAction';
import { ERASURE_REASONS, REFERENCE_PATTERN, eraseContact, type Contact, type Erasure, type ErasureReason } from './api';

const HISTORY_ONLY = '__history__';

/**
 * Erasure of a person from the list and from every stored version ("Slet
 * person"): who (a current contact, or name/e-mail/phone for someone only in
 * history), why (a fixed reason) and an optional case number; then a confirm
 * step that says it rewrites history and cannot be undone.
 */
export function EraseSection({ code, contacts, onErased }: { code: string; contacts: Contact[]; onErased: () => Promise<void> }) {
  const t = useT('contacts');
  const id = useId();
  const [who, setWho] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [reason, setReason] = useState<ErasureReason>('data_subject_request');
  const [reference, setReference] = useState('');
  const [problem, setProblem] = useState<'selector' | 'reference' | null>(null);
  const [confirming, setConfirming] = useState(false);
  const erase = useAction(async (request: Erasure) => {
    const result = await eraseContact(code, request);
    setConfirming(false);
    setWho('');
    setName('');
    setEmail('');
    setPhone('');
    setReference('');
    // The erasure is done; a failed reload of the list does not make it a failure.
    await onErased().catch(() => undefined);
    return result;
  });
  const persons = [...contacts].sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'person' ? -1 : 1));
  const chosen = contacts.find((contact) => contact.id === who);

  const request = (): Erasure | null => {
    const body: Erasure = { reason };
    if (who === HISTORY_ONLY) {
      if (name.trim()) body.name = name.trim();
      if (email.trim()) body.email = email.trim();
      if (phone.trim()) body.phone = phone.trim();
      if (!body.name && !body.email && !body.phone) return null;
    } else if (chosen) {
      body.contact_id = chosen.id;
    } else {
      return null;
    }
    if (reference.trim()) body.reference = reference.trim();
    return body;
  };
  const open = () => {
    erase.reset();
    if (!request()) {
      setProblem('selector');
      document.getElementById(`${id}-who`)?.focus();
      return;
    }
    if (!REFERENCE_PATTERN.test(reference.trim())) {
      setProblem('reference');
      document.getElementById(`${id}-reference`)?.focus();
      return;
    }
    setProblem(null);
    setConfirming(true);
  };

  return (
    <section className="panel" aria-labelledby="con-erase" data-testid="contacts-erase">
      <h2 id="con-erase">{t('eraseHeading')}</h2>
      <p>{t('eraseIntro')}</p>
      <p className="form-help">{t('eraseAlso')}</p>
      <div className="form">
        <div className="form-grid">
          <div className="form-field">
            <label htmlFor={`${id}-who`}>{t('f.erasePerson')}</label>
            <select
              id={`${id}-who`}
              value={who}
              aria-invalid={problem === 'selector' || undefined}
              aria-describedby={problem === 'selector' ? `${id}-who-error` : undefined}
              onChange={(event) => {
                setWho(event.target.value);
                setProblem(null);
                setConfirming(false);
              }}
              data-testid="contacts-erase-who"
            >
              <option value="">{t('choosePerson')}</option>
              {persons.map((contact) => (
                <option key={contact.id} value={contact.id}>
                  {contact.name} ({t(`kind.${contact.kind}`)})
                </option>
              ))}
              <option value={HISTORY_ONLY}>{t('eraseHistoryOnly')}</option>
            </select>
            {problem === 'selector' ? (
              <span className="form-invalid" id={`${id}-who-error`} role="alert">
                {t('eraseNeedSelector')}
              </span>
            ) : null}
          </div>
          <div className="form-field">
            <label htmlFor={`${id}-reason`}>{t('f.eraseReason')}</label>
            <select
              id={`${id}-reason`}
              value={reason}
              onChange={(event) => setReason(ERASURE_REASONS.find((r) => r === event.target.value) ?? 'other')}
              data-testid="contacts-erase-reason"
            >
              {ERASURE_REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`eraseReason.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="form-field">
            <label htmlFor={`${id}-reference`}>{t('f.eraseReference')}</label>
            <span className="form-help" id={`${id}-reference-help`}>
              {t('f.eraseReferenceHelp')}
            </span>
            <input
              id={`${id}-reference`}
              type="text"
              value={reference}
              maxLength={64}
              spellCheck={false}
              aria-invalid={problem === 'reference' || undefined}
              aria-describedby={`${id}-reference-help${problem === 'reference' ? ` ${id}-reference-error` : ''}`}
              onChange={(event) => {
                setReference(event.target.value);
                setProblem(null);
              }}
              data-testid="contacts-erase-reference"
            />
            {problem === 'reference' ? (
              <span className="form-invalid" id={`${id}-reference-error`} role="alert">
                {t('eraseBadReference')}
              </span>
            ) : null}
          </div>
        </div>
        {who === HISTORY_ONLY ? (
          <fieldset className="form-fieldset" aria-describedby={`${id}-find-help`}>
            <legend>{t('eraseHistoryOnly')}</legend>
            <p className="form-help" id={`${id}-find-help`}>
              {t('f.eraseFindHelp')}
            </p>
            <div className="form-grid">
              <div className="form-field">
                <label htmlFor={`${id}-name`}>{t('f.eraseName')}</label>
                <input id={`${id}-name`} type="text" value={name} onChange={(event) => setName(event.target.value)} />
              </div>
              <div className="form-field">
                <label htmlFor={`${id}-email`}>{t('f.eraseEmail')}</label>
                <input id={`${id}-email`} type="email" value={email} onChange={(event) => setEmail(event.target.value)} />
              </div>
              <div className="form-field">
                <label htmlFor={`${id}-phone`}>{t('f.erasePhone')}</label>
                <input id={`${id}-phone`} type="tel" value={phone} onChange={(event) => setPhone(event.target.value)} />
              </div>
            </div>
          </fieldset>
        ) : null}
        <div className="form-actions">
          <ConfirmStep
            open={confirming}
            label={t('eraseOpen')}
            text={t('eraseConfirmText', { who: chosen ? `“${chosen.name}”` : t('eraseWhoHistory') })}
            confirmLabel={t('eraseConfirm')}
            pending={erase.pending}
            danger
            onOpen={open}
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              const body = request();
              if (body) void erase.run(body);
            }}
            testId="contacts-erase"
          />
        </div>
      </div>
      <AsyncView
        state={erase.state}
        loading={null}
        error={(error) =>
          error.kind === 'not_found' ? (
            <p className="error" role="alert" data-testid="contacts-erase-none">
              {t('eraseNotFound')}
            </p>
          ) : (
            <div className="error" role="alert">
              <p>{t('eraseRefused')}</p>
              <HubDetail message={error.serverMessage} always />
            </div>
          )
        }
      >
        {(result) => (
          <p role="status" className="form-ok" data-testid="contacts-erased">
            {t('erased', { removed: result.removed_from_current, versions: result.versions_rewritten })}
          </p>
        )}
      </AsyncView>
    </section>
  );
}
