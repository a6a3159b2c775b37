import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ApiError } from '../../api';
import { useT } from '../../i18n';
import { AsyncView } from '../../ui/AsyncView';
import { HubDetail } from '../../ui/HubDetail';
import { useAction } from '../../ui/useAction';
import {
  DAYS,
  LANGUAGES,
  isWindows,
  putContacts,
  refusalReason,
  refusedContact,
  refusedInput,
  type ContactInput,
  type ContactKind,
  type ContactLanguage,
  type Day,
  type MemberContacts,
  type RefusedContact,
} from './api';

interface DraftWindow {
  key: number;
  days: Day[];
  from: string;
  to: string;
}

interface DraftContact {
  key: number;
  id?: string;
  kind: ContactKind;
  name: string;
  email: string;
  phone: string;
  webhook: string;
  language: ContactLanguage;
  always: boolean;
  windows: DraftWindow[];
  priority: string;
}

interface Draft {
  contacts: DraftContact[];
  /** Key of the out-of-band contact. */
  outOfBand: number | null;
}

let nextKey = 1;
const newKey = () => nextKey++;

function newWindow(): DraftWindow {
  return { key: newKey(), days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '16:00' };
}

function draftOf(data: MemberContacts): Draft {
  const contacts = data.contacts.map(
    (contact): DraftContact => ({
      key: newKey(),
      id: contact.id,
      kind: contact.kind,
      name: contact.name,
      email: contact.channels.email ?? '',
      phone: contact.channels.phone ?? '',
      webhook: contact.channels.webhook ?? '',
      language: contact.language,
      always: !isWindows(contact.hours),
      windows: isWindows(contact.hours)
        ? contact.hours.windows.map((window) => ({ key: newKey(), days: [...window.days], from: window.from, to: window.to }))
        : [],
      priority: String(contact.priority),
    }),
  );
  const oob = data.contacts.findIndex((contact) => contact.out_of_band);
  return { contacts, outOfBand: oob >= 0 ? (contacts[oob]?.key ?? null) : null };
}

/** The list as the hub takes it, in the editor's order (a refusal's index is an index into it). */
function inputOf(draft: Draft): ContactInput[] {
  return draft.contacts.map((contact) => {
    const channels: ContactInput['channels'] = {};
    if (contact.email.trim()) channels.email = contact.email.trim();
    if (contact.phone.trim()) channels.phone = contact.phone.trim();
    if (contact.webhook.trim()) channels.webhook = contact.webhook.trim();
    const priority = Number(contact.priority.trim());
    const input: ContactInput = {
      kind: contact.kind,
      name: contact.name.trim(),
      channels,
      language: contact.language,
      // Not a whole number: sent as 0, which the hub refuses naming the field.
      priority: Number.isInteger(priority) ? priority : 0,
      out_of_band: draft.outOfBand === contact.key,
      hours: contact.always
        ? 'always'
        : {
            time_zone: 'Europe/Copenhagen',
            windows: contact.windows.map((window) => ({
              days: DAYS.filter((day) => window.days.includes(day)),
              from: window.from.trim(),
              to: window.to.trim(),
            })),
          },
    };
    if (contact.id) input.id = contact.id;
    return input;
  });
}

function nextPriority(contacts: DraftContact[]): string {
  const used = contacts.map((contact) => Number(contact.priority)).filter(Number.isFinite);
  return String(Math.min(1000, (used.length ? Math.max(...used) : 0) + 10));
}

/**
 * The whole list in one form: a fieldset per contact (kind, name, channels,
 * language, priority, hours, the one out-of-band radio), add and remove.
 * Saving names the version it replaces: when someone else saved in between
 * the hub answers 409 and the editor offers to load the new version.
 */
export function ContactsEditor({
  code,
  data,
  onSaved,
  onReload,
}: {
  code: string;
  data: MemberContacts;
  onSaved: (data: MemberContacts) => void;
  onReload: () => Promise<void>;
}) {
  const t = useT('contacts');
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(data));
  const [focusKey, setFocusKey] = useState<number | null>(null);
  const save = useAction(async (next: Draft) => {
    const saved = await putContacts(code, inputOf(next), data.version);
    onSaved(saved);
    return saved;
  });
  const reload = useAction(async () => {
    await onReload();
    save.reset();
    return true;
  });
  // A save, a reload or an erasure stores a new version: the form starts again from it.
  useEffect(() => setDraft(draftOf(data)), [data.version, data]);

  const refused = save.state.status === 'error' && save.state.error.status === 400 ? refusedContact(save.state.error) : null;
  const refusedKey = refused && refused.index !== null ? (draft.contacts[refused.index]?.key ?? null) : null;
  const refusedAt = refused && refusedKey !== null ? refusedInput(refused.field) : null;

  useEffect(() => {
    if (!refused) return;
    const reason = refusalReason(refused);
    let target: string | null = null;
    if (refusedKey !== null) target = `${id}-c${refusedKey}-${fieldTarget(refusedAt ?? '')}`;
    else if (reason === 'out_of_band_missing' && draft.contacts[0]) target = `${id}-c${draft.contacts[0].key}-out_of_band`;
    else if (reason === 'role_missing' && draft.contacts[0]) target = `${id}-c${draft.contacts[0].key}-kind`;
    if (target) document.getElementById(target)?.focus();
  }, [save.state]);

  useEffect(() => {
    if (focusKey !== null) document.getElementById(`${id}-c${focusKey}-name`)?.focus();
  }, [focusKey, id]);

  const update = (key: number, change: Partial<DraftContact>) =>
    setDraft((old) => ({ ...old, contacts: old.contacts.map((contact) => (contact.key === key ? { ...contact, ...change } : contact)) }));
  const add = (kind: ContactKind) => {
    const key = newKey();
    setDraft((old) => ({
      ...old,
      contacts: [
        ...old.contacts,
        { key, kind, name: '', email: '', phone: '', webhook: '', language: 'da', always: true, windows: [], priority: nextPriority(old.contacts) },
      ],
    }));
    setFocusKey(key);
  };
  const remove = (key: number) => {
    const index = draft.contacts.findIndex((contact) => contact.key === key);
    setDraft((old) => ({
      contacts: old.contacts.filter((contact) => contact.key !== key),
      outOfBand: old.outOfBand === key ? null : old.outOfBand,
    }));
    // Focus goes to the contact that takes the removed one's place, or to the add button.
    const after = draft.contacts[index + 1] ?? draft.contacts[index - 1];
    window.setTimeout(() => document.getElementById(after ? `${id}-c${after.key}-name` : `${id}-add-role`)?.focus(), 0);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run(draft);
  };

  return (
    <form className="form" onSubmit={submit} noValidate data-testid="contacts-editor">
      {draft.contacts.map((contact, index) => (
        <ContactFields
          key={contact.key}
          formId={id}
          index={index}
          contact={contact}
          outOfBand={draft.outOfBand === contact.key}
          refusal={refusedKey === contact.key && refused ? { input: refusedAt ?? '', place: refused } : null}
          onChange={(change) => update(contact.key, change)}
          onOutOfBand={() => setDraft((old) => ({ ...old, outOfBand: contact.key }))}
          onRemove={() => remove(contact.key)}
        />
      ))}
      <div className="form-actions">
        <button type="button" className="button-secondary" id={`${id}-add-role`} onClick={() => add('role')} data-testid="contacts-add-role">
          {t('addRole')}
        </button>
        <button type="button" className="button-secondary" onClick={() => add('person')} data-testid="contacts-add-person">
          {t('addPerson')}
        </button>
      </div>
      <div className="form-actions">
        <button type="submit" disabled={save.pending} data-testid="contacts-save">
          {save.pending ? t('saving') : t('save')}
        </button>
        <button
          type="button"
          className="button-secondary"
          onClick={() => {
            save.reset();
            setDraft(draftOf(data));
          }}
        >
          {t('cancelEdit')}
        </button>
      </div>
      <AsyncView
        state={save.state}
        loading={null}
        error={(error) =>
          error.status === 409 ? (
            <div className="error" role="alert" data-testid="contacts-conflict">
              <p>{t('conflict')}</p>
              <button type="button" onClick={() => void reload.run()} disabled={reload.pending} data-testid="contacts-reload">
                {t('reload')}
              </button>
            </div>
          ) : (
            <SaveRefusal error={error} draft={draft} />
          )
        }
      >
        {(saved) => (
          <p role="status" className="form-ok" data-testid="contacts-saved">
            {t('saved', { version: saved.version })}
          </p>
        )}
      </AsyncView>
    </form>
  );
}

/** The input a refused field points to (its id suffix in the editor). */
function fieldTarget(input: string): string {
  if (input === 'channels' || input === '') return 'email';
  if (input === 'hours') return 'hours';
  return input;
}

function useRefusalText(): (place: RefusedContact, draft: Draft) => { text: string; known: boolean } {
  const t = useT('contacts');
  return (place, draft) => {
    const reason = refusalReason(place);
    const why = t(`reason.${reason}`);
    const known = reason !== 'other';
    if (place.index === null) return { text: t('refusedList', { reason: why }), known };
    const contact = draft.contacts[place.index];
    const root = refusedInput(place.field).replace(/[.[].*$/, '');
    const fieldKey = (['email', 'phone', 'webhook', 'channels', 'name', 'priority', 'hours', 'out_of_band', 'kind', 'language', 'id'] as const).find(
      (key) => key === root,
    );
    return {
      text: t('refusedAt', {
        n: place.index + 1,
        name: contact?.name.trim() || t('unnamed'),
        field: fieldKey ? t(`field.${fieldKey}`) : place.field,
        reason: why,
      }),
      known,
    };
  };
}

function SaveRefusal({ error, draft }: { error: ApiError; draft: Draft }) {
  const t = useT('contacts');
  const describe = useRefusalText();
  const place = refusedContact(error);
  const sentence = describe(place, draft);
  return (
    <div className="error" role="alert" data-testid="contacts-refused-save">
      <p>
        <strong>{t('refusedTitle')}</strong>
      </p>
      <p>{sentence.text}</p>
      <HubDetail message={error.serverMessage} always={!sentence.known} />
    </div>
  );
}

function ContactFields({
  formId,
  index,
  contact,
  outOfBand,
  refusal,
  onChange,
  onOutOfBand,
  onRemove,
}: {
  formId: string;
  index: number;
  contact: DraftContact;
  outOfBand: boolean;
  refusal: { input: string; place: RefusedContact } | null;
  onChange: (change: Partial<DraftContact>) => void;
  onOutOfBand: () => void;
  onRemove: () => void;
}) {
  const t = useT('contacts');
  const prefix = `${formId}-c${contact.key}`;
  const target = refusal ? fieldTarget(refusal.input) : null;
  const reason = refusal ? t(`reason.${refusalReason(refusal.place)}`) : '';
  const legendId = `${prefix}-legend`;

  const field = (name: 'name' | 'email' | 'phone' | 'webhook' | 'priority', label: string, help: string, control: (props: FieldProps) => ReactNode) => {
    const invalid = target === name;
    return (
      <div className="form-field">
        <label htmlFor={`${prefix}-${name}`}>{label}</label>
        <span className="form-help" id={`${prefix}-${name}-help`}>
          {help}
        </span>
        {control({
          id: `${prefix}-${name}`,
          'aria-describedby': `${prefix}-${name}-help${invalid ? ` ${prefix}-${name}-error` : ''}`,
          'aria-invalid': invalid || undefined,
        })}
        {invalid ? (
          <span className="form-invalid" id={`${prefix}-${name}-error`} data-testid="contacts-field-error">
            {reason}
          </span>
        ) : null}
      </div>
    );
  };

  return (
    <fieldset
      className={`form-fieldset con-contact${outOfBand ? ' con-contact-oob' : ''}`}
      aria-labelledby={legendId}
      data-testid="contacts-edit-contact"
      data-index={index}
    >
      <legend id={legendId}>
        {t('contactLegend', { n: index + 1, name: contact.name.trim() || t('unnamed') })}
        {outOfBand ? (
          <span className="con-badge">
            <span aria-hidden="true">☎ </span>
            {t('oobBadge')}
          </span>
        ) : null}
      </legend>
      <div className="form-grid">
        <div className="form-field">
          <label htmlFor={`${prefix}-kind`}>{t('f.kind')}</label>
          <select
            id={`${prefix}-kind`}
            value={contact.kind}
            onChange={(event) => onChange({ kind: event.target.value === 'person' ? 'person' : 'role' })}
            data-testid="contacts-kind"
          >
            <option value="role">{t('kind.role')}</option>
            <option value="person">{t('kind.person')}</option>
          </select>
        </div>
        {field('name', t('f.name'), t('f.nameHelp'), (props) => (
          <input {...props} type="text" value={contact.name} maxLength={200} onChange={(event) => onChange({ name: event.target.value })} data-testid="contacts-name" />
        ))}
        {field('priority', t('f.priority'), t('f.priorityHelp'), (props) => (
          <input
            {...props}
            type="number"
            inputMode="numeric"
            min={1}
            max={1000}
            value={contact.priority}
            onChange={(event) => onChange({ priority: event.target.value })}
            data-testid="contacts-priority"
          />
        ))}
        {field('email', t('f.email'), `${t('f.emailHelp')} ${t('f.channelsHelp')}`, (props) => (
          <input {...props} type="email" value={contact.email} spellCheck={false} onChange={(event) => onChange({ email: event.target.value })} data-testid="contacts-email" />
        ))}
        {field('phone', t('f.phone'), t('f.phoneHelp'), (props) => (
          <input {...props} type="tel" value={contact.phone} spellCheck={false} onChange={(event) => onChange({ phone: event.target.value })} data-testid="contacts-phone" />
        ))}
        {field('webhook', t('f.webhook'), t('f.webhookHelp'), (props) => (
          <input {...props} type="url" value={contact.webhook} spellCheck={false} onChange={(event) => onChange({ webhook: event.target.value })} data-testid="contacts-webhook" />
        ))}
        <div className="form-field">
          <label htmlFor={`${prefix}-language`}>{t('f.language')}</label>
          <select
            id={`${prefix}-language`}
            value={contact.language}
            onChange={(event) => onChange({ language: event.target.value === 'en' ? 'en' : 'da' })}
          >
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`language.${language}`)}
              </option>
            ))}
          </select>
        </div>
      </div>

      <div className="form-field">
        <label className="form-choice">
          <input
            type="radio"
            id={`${prefix}-out_of_band`}
            name={`${formId}-out-of-band`}
            checked={outOfBand}
            onChange={onOutOfBand}
            aria-describedby={`${prefix}-oob-help${target === 'out_of_band' ? ` ${prefix}-oob-error` : ''}`}
            aria-invalid={target === 'out_of_band' || undefined}
            data-testid="contacts-oob"
          />
          <span>
            {t('f.oob')}
            <span className="form-help" id={`${prefix}-oob-help`}>
              {t('f.oobHelp')}
            </span>
          </span>
        </label>
        {target === 'out_of_band' ? (
          <span className="form-invalid" id={`${prefix}-oob-error`} data-testid="contacts-field-error">
            {reason}
          </span>
        ) : null}
      </div>

      <HoursFields prefix={prefix} contact={contact} invalid={target === 'hours'} reason={reason} onChange={onChange} />

      {target && !['name', 'email', 'phone', 'webhook', 'priority', 'out_of_band', 'hours'].includes(target) ? (
        <span className="form-invalid" data-testid="contacts-field-error">
          {reason}
        </span>
      ) : null}

      <div className="form-actions">
        <button
          type="button"
          className="button-secondary"
          onClick={onRemove}
          aria-describedby={legendId}
          data-testid="contacts-remove"
        >
          {t('remove')}
        </button>
      </div>
    </fieldset>
  );
}

function HoursFields({
  prefix,
  contact,
  invalid,
  reason,
  onChange,
}: {
  prefix: string;
  contact: DraftContact;
  invalid: boolean;
  reason: string;
  onChange: (change: Partial<DraftContact>) => void;
}) {
  const t = useT('contacts');
  const addButton = useRef<HTMLButtonElement>(null);
  const setWindow = (key: number, change: Partial<DraftWindow>) =>
    onChange({ windows: contact.windows.map((window) => (window.key === key ? { ...window, ...change } : window)) });
  return (
    <fieldset className="form-fieldset con-hours" aria-describedby={invalid ? `${prefix}-hours-error` : undefined}>
      <legend>{t('f.hours')}</legend>
      <label className="form-choice">
        <input
          type="radio"
          id={`${prefix}-hours`}
          name={`${prefix}-hours`}
          checked={contact.always}
          onChange={() => onChange({ always: true })}
          aria-invalid={invalid || undefined}
        />
        <span>{t('f.always')}</span>
      </label>
      <label className="form-choice">
        <input
          type="radio"
          name={`${prefix}-hours`}
          checked={!contact.always}
          onChange={() => onChange({ always: false, windows: contact.windows.length ? contact.windows : [newWindow()] })}
          data-testid="contacts-hours-windows"
        />
        <span>{t('f.windows')}</span>
      </label>
      {invalid ? (
        <span className="form-invalid" id={`${prefix}-hours-error`} data-testid="contacts-field-error">
          {reason}
        </span>
      ) : null}
      {contact.always ? null : (
        <>
          <p className="form-help">{t('windowHelp')}</p>
          {contact.windows.map((window, idx) => (
            <fieldset key={window.key} className="form-fieldset con-window">
              <legend>{t('windowLegend', { n: idx + 1 })}</legend>
              <div className="con-days" role="group" aria-label={t('f.days')}>
                {DAYS.map((day) => (
                  <label key={day} className="form-choice">
                    <input
                      type="checkbox"
                      checked={window.days.includes(day)}
                      onChange={(event) =>
                        setWindow(window.key, {
                          days: event.target.checked ? [...window.days, day] : window.days.filter((d) => d !== day),
                        })
                      }
                    />
                    <span>{t(`dayLong.${day}`)}</span>
                  </label>
                ))}
              </div>
              <div className="con-times">
                <div className="form-field">
                  <label htmlFor={`${prefix}-w${window.key}-from`}>{t('f.from')}</label>
                  <input
                    id={`${prefix}-w${window.key}-from`}
                    type="text"
                    inputMode="numeric"
                    placeholder="08:00"
                    value={window.from}
                    onChange={(event) => setWindow(window.key, { from: event.target.value })}
                  />
                </div>
                <div className="form-field">
                  <label htmlFor={`${prefix}-w${window.key}-to`}>{t('f.to')}</label>
                  <input
                    id={`${prefix}-w${window.key}-to`}
                    type="text"
                    inputMode="numeric"
                    placeholder="16:00"
                    value={window.to}
                    onChange={(event) => setWindow(window.key, { to: event.target.value })}
                  />
                </div>
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() => {
                    onChange({ windows: contact.windows.filter((w) => w.key !== window.key) });
                    addButton.current?.focus();
                  }}
                  disabled={contact.windows.length === 1}
                >
                  {t('removeWindow', { n: idx + 1 })}
                </button>
              </div>
            </fieldset>
          ))}
          <div className="form-actions">
            <button
              type="button"
              className="button-secondary"
              ref={addButton}
              onClick={() => onChange({ windows: [...contact.windows, newWindow()] })}
            >
              {t('addWindow')}
            </button>
          </div>
        </>
      )}
    </fieldset>
  );
}

interface FieldProps {
  id: string;
  'aria-describedby': string;
  'aria-invalid': boolean | undefined;
}
