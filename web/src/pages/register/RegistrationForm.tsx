import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { ApiError } from '../../api';
import { useT, type ScopedKey } from '../../i18n';
import { AsyncView } from '../../ui/AsyncView';
import { HubDetail } from '../../ui/HubDetail';
import { useAction } from '../../ui/useAction';
import { putRegistration, putRegistrationCsv, refusalKind, refusedPlace, type Registration, type RefusedPlace } from './api';

type ListName = NonNullable<RefusedPlace['list']>;

const LISTS: readonly { list: ListName; label: ScopedKey<'register'>; help: ScopedKey<'register'> }[] = [
  { list: 'domains', label: 'f.domains', help: 'f.domainsHelp' },
  { list: 'prefixes', label: 'f.prefixes', help: 'f.prefixesHelp' },
  { list: 'asns', label: 'f.asns', help: 'f.asnsHelp' },
  { list: 'urls', label: 'f.urls', help: 'f.urlsHelp' },
];

type Draft = Record<ListName, string>;

function draftOf(registration: Registration): Draft {
  return {
    domains: registration.domains.map((domain) => domain.name).join('\n'),
    prefixes: registration.prefixes.join('\n'),
    asns: registration.asns.map((asn) => `AS${asn}`).join('\n'),
    urls: registration.urls.join('\n'),
  };
}

/** The non-empty lines of a text, each with its 1-based line number in the text. */
function lines(text: string): { value: string; line: number }[] {
  return text
    .split('\n')
    .map((value, idx) => ({ value: value.trim(), line: idx + 1 }))
    .filter((entry) => entry.value !== '');
}

/** A refusal's reason in the page's language; the hub's words when the page has none for it. */
function useReason(): (detail: string) => { text: string; known: boolean } {
  const t = useT('register');
  return (detail) => {
    const kind = refusalKind(detail);
    return { text: t(`refusal.${kind}`), known: kind !== 'other' };
  };
}

/**
 * The registration as four lists, one value per line. Saving replaces the
 * whole registration; a refusal is shown next to the field it names (list
 * and line), which gets the focus.
 */
export function RegistrationForm({
  code,
  registration,
  onSaved,
}: {
  code: string;
  registration: Registration;
  onSaved: (registration: Registration) => void;
}) {
  const t = useT('register');
  const id = useId();
  const reason = useReason();
  const [draft, setDraft] = useState<Draft>(() => draftOf(registration));
  const save = useAction(async (next: Draft) => {
    const saved = await putRegistration(code, {
      domains: lines(next.domains).map((entry) => entry.value),
      prefixes: lines(next.prefixes).map((entry) => entry.value),
      asns: lines(next.asns).map((entry) => entry.value),
      urls: lines(next.urls).map((entry) => entry.value),
    });
    onSaved(saved);
    return saved;
  });
  // A CSV import stores a new version: the lists start again from it.
  useEffect(() => setDraft(draftOf(registration)), [registration.version]);
  const refused = save.state.status === 'error' ? refusedPlace(save.state.error) : null;
  const refusedList = refused?.list ?? null;

  useEffect(() => {
    if (refusedList) document.getElementById(`${id}-${refusedList}`)?.focus();
  }, [save.state, refusedList, id]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run(draft);
  };

  /** The sentence naming the refused field and line, in the page's language. */
  const refusalText = (place: RefusedPlace): { text: string; known: boolean } => {
    const why = reason(place.detail);
    const spec = LISTS.find((entry) => entry.list === place.list);
    if (!spec) return why;
    const field = t(spec.label);
    if (place.index === null) return { text: t('refusedField', { field, reason: why.text }), known: why.known };
    const entry = lines(draft[spec.list])[place.index];
    return {
      text: t('refusedAt', { field, line: entry?.line ?? place.index + 1, value: entry?.value ?? '', reason: why.text }),
      known: why.known,
    };
  };

  return (
    <form className="form" onSubmit={submit} noValidate data-testid="register-form">
      <div className="form-grid">
        {LISTS.map((spec) => {
          const controlId = `${id}-${spec.list}`;
          const invalid = refused?.list === spec.list;
          const message = invalid && refused ? refusalText(refused) : null;
          return (
            <div className="form-field" key={spec.list}>
              <label htmlFor={controlId}>{t(spec.label)}</label>
              <span className="form-help" id={`${controlId}-help`}>
                {t(spec.help)}
              </span>
              <textarea
                id={controlId}
                rows={5}
                spellCheck={false}
                value={draft[spec.list]}
                aria-invalid={invalid || undefined}
                aria-describedby={`${controlId}-help${invalid ? ` ${controlId}-error` : ''}`}
                onChange={(event) => {
                  const value = event.target.value;
                  setDraft((old) => ({ ...old, [spec.list]: value }));
                }}
                data-testid={`register-field-${spec.list}`}
              />
              {message ? (
                <span className="form-invalid" id={`${controlId}-error`} data-testid="register-field-error">
                  {message.text}
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
      <div className="form-actions">
        <button type="submit" disabled={save.pending} data-testid="register-save">
          {save.pending ? t('saving') : t('save')}
        </button>
      </div>
      <AsyncView
        state={save.state}
        loading={null}
        error={(error) => <RefusalSummary error={error} describe={refusalText} />}
      >
        {(saved) => (
          <p role="status" className="form-ok" data-testid="register-saved">
            {t('saved', { version: saved.version })}
          </p>
        )}
      </AsyncView>
    </form>
  );
}

/** Under the form: that nothing changed, where the hub found the problem, and its own words when the page has none. */
function RefusalSummary({ error, describe }: { error: ApiError; describe: (place: RefusedPlace) => { text: string; known: boolean } }) {
  const t = useT('register');
  const place = refusedPlace(error);
  const sentence = describe(place);
  return (
    <div className="error" role="alert" data-testid="register-refused-save">
      <p>
        <strong>{t('refusedTitle')}</strong>
      </p>
      <p>{sentence.text}</p>
      <HubDetail message={error.serverMessage} always={!sentence.known} />
    </div>
  );
}

/**
 * A `type,value` CSV, pasted or read from a file in the browser (shown before
 * it is sent), sent as text/csv; it replaces the registration. A refusal
 * names the CSV line.
 */
export function CsvImport({ code, onSaved }: { code: string; onSaved: (registration: Registration) => void }) {
  const t = useT('register');
  const id = useId();
  const reason = useReason();
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const [read, setRead] = useState<{ name: string; lines: number } | 'failed' | null>(null);
  const textArea = useRef<HTMLTextAreaElement>(null);
  const importCsv = useAction(async (csv: string) => {
    const saved = await putRegistrationCsv(code, csv);
    onSaved(saved);
    return saved;
  });
  useEffect(() => {
    if (importCsv.state.status === 'error') textArea.current?.focus();
  }, [importCsv.state]);

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    try {
      const content = await file.text();
      setText(content);
      setMissing(false);
      setRead({ name: file.name, lines: content.split('\n').filter((line) => line.trim() !== '').length });
    } catch {
      setRead('failed');
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() === '') {
      setMissing(true);
      textArea.current?.focus();
      return;
    }
    void importCsv.run(text);
  };
  const refused = importCsv.state.status === 'error' ? refusedPlace(importCsv.state.error) : null;
  const invalid = missing || refused !== null;
  const describe = (place: RefusedPlace) => {
    const why = reason(place.detail);
    return place.line !== null ? { text: t('refusedCsvLine', { line: place.line, reason: why.text }), known: why.known } : why;
  };

  return (
    <form className="form" onSubmit={submit} noValidate data-testid="register-csv">
      <div className="form-field">
        <label htmlFor={`${id}-file`}>{t('csvFile')}</label>
        <span className="form-help" id={`${id}-file-help`}>
          {t('csvFileHelp')}
        </span>
        <input
          id={`${id}-file`}
          type="file"
          accept=".csv,text/csv,text/plain"
          aria-describedby={`${id}-file-help`}
          onChange={(event) => void onFile(event)}
          data-testid="register-csv-file"
        />
        <span role="status" className="reg-small">
          {read === 'failed' ? t('csvReadFailed') : read ? t('csvRead', { name: read.name, lines: read.lines }) : ''}
        </span>
      </div>
      <div className="form-field">
        <label htmlFor={`${id}-text`}>{t('csvText')}</label>
        <span className="form-help" id={`${id}-text-help`}>
          {t('csvTextHelp')} {t('csvExample')}: <code>type,value</code> · <code>domain,kommune.dk</code> ·{' '}
          <code>prefix,192.0.2.0/24</code> · <code>asn,64496</code>
        </span>
        <textarea
          id={`${id}-text`}
          ref={textArea}
          rows={6}
          spellCheck={false}
          value={text}
          aria-invalid={invalid || undefined}
          aria-describedby={`${id}-text-help${invalid ? ` ${id}-text-error` : ''}`}
          onChange={(event) => {
            setText(event.target.value);
            setMissing(false);
          }}
          data-testid="register-csv-text"
        />
        {missing ? (
          <span className="form-invalid" id={`${id}-text-error`} role="alert">
            {t('csvEmpty')}
          </span>
        ) : refused ? (
          <span className="form-invalid" id={`${id}-text-error`}>
            {describe(refused).text}
          </span>
        ) : null}
      </div>
      <div className="form-actions">
        <button type="submit" disabled={importCsv.pending} data-testid="register-csv-import">
          {importCsv.pending ? t('saving') : t('csvImport')}
        </button>
      </div>
      <AsyncView state={importCsv.state} loading={null} error={(error) => <RefusalSummary error={error} describe={describe} />}>
        {(saved) => (
          <p role="status" className="form-ok" data-testid="register-csv-saved">
            {t('saved', { version: saved.version })}
          </p>
        )}
      </AsyncView>
    </form>
  );
}
