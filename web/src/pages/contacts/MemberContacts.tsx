import { useState } from 'react';
import { useI18n, useT } from '../../i18n';
import { useSession } from '../../session';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { useAsync } from '../../ui/useAsync';
import { useOrganisations } from '../../ui/useOrganisations';
import { getContacts, isWindows, type Contact, type Hours, type MemberContacts } from './api';
import { ContactsEditor } from './ContactsEditor';
import { EraseSection } from './EraseSection';

/** One member's contacts: who may see them, what is missing, the out-of-band contact, the list, and (for its people) editing and erasure. */
export function MemberContactsView({ code }: { code: string }) {
  const t = useT('contacts');
  const { me } = useSession();
  const orgs = useOrganisations();
  const own = me?.organisation.code === code;
  const [state, retry] = useAsync((signal) => getContacts(code, signal), [code]);
  const name = own ? (me?.organisation.name ?? code) : orgs.nameOf(code);
  return (
    <div className="con-page" data-testid="contacts-member" data-code={code}>
      <section className="panel" aria-labelledby="con-title">
        {me?.coordinator ? (
          <a className="back" href="#/contacts">
            ← {t('backNational')}
          </a>
        ) : null}
        <h1 id="con-title">{t('memberHeading', { name })}</h1>
        <p>{t('intro')}</p>
        <p className="note" data-testid="contacts-privacy">
          {t('privacy')}
        </p>
        <AsyncView
          state={state}
          retry={retry}
          error={(error) => {
            if (error.status === 403) {
              return (
                <p className="warning" role="alert" data-testid="contacts-refused">
                  {t('refused')}
                </p>
              );
            }
            if (error.kind === 'not_found') {
              return (
                <p className="warning" role="alert" data-testid="contacts-unknown">
                  {t('unknownMember', { code })}
                </p>
              );
            }
            return undefined;
          }}
        >
          {() => null}
        </AsyncView>
      </section>
      {state.status === 'ok' ? <ContactsView key={code} code={code} initial={state.data} /> : null}
    </div>
  );
}

/** The loaded list; a save, a reload after a conflict or an erasure replaces it here. */
function ContactsView({ code, initial }: { code: string; initial: MemberContacts }) {
  const t = useT('contacts');
  const { formatDate } = useI18n();
  const { me } = useSession();
  const [data, setData] = useState(initial);
  const own = me?.organisation.code === code;
  const canWrite = me?.role === 'admin' || (me?.role === 'member' && own);
  const roles = data.contacts.filter((contact) => contact.kind === 'role');
  const persons = data.contacts.filter((contact) => contact.kind === 'person');
  const reload = async () => setData(await getContacts(code));

  return (
    <>
      <section className="panel" aria-labelledby="con-list" data-testid="contacts-list" data-version={data.version}>
        <h2 id="con-list">{t('listHeading')}</h2>
        <p className="con-small" data-testid="contacts-version">
          {data.version === 0 ? t('noneStored') : t('version', { version: data.version, at: formatDate(data.updated_at) })}{' '}
          {canWrite ? '' : me?.coordinator ? t('readOnlyCoordinator') : t('readOnly')}
        </p>
        {data.problems.length > 0 ? (
          <div className="warning" data-testid="contacts-problems">
            <h3>{t('problemsHeading')}</h3>
            <ul>
              {data.problems.map((problem) => (
                <li key={problem}>{t(problemKey(problem))}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="con-oob" data-testid="contacts-oob-help">
          <h3>{t('oobHeading')}</h3>
          <p>{t('oobText')}</p>
        </div>
        <h3>{t('rolesHeading')}</h3>
        <ContactTable contacts={roles} label={t('rolesHeading')} empty={t('rolesEmpty')} testId="contacts-roles" />
        <h3>{t('personsHeading')}</h3>
        <ContactTable contacts={persons} label={t('personsHeading')} empty={t('personsEmpty')} testId="contacts-persons" />
      </section>
      {canWrite ? (
        <>
          <section className="panel" aria-labelledby="con-edit">
            <h2 id="con-edit">{t('editHeading')}</h2>
            <p>{t('editIntro')}</p>
            <ContactsEditor code={code} data={data} onSaved={setData} onReload={reload} />
          </section>
          <EraseSection code={code} contacts={data.contacts} onErased={reload} />
        </>
      ) : null}
    </>
  );
}

function problemKey(problem: string): 'problem.out_of_band' | 'problem.role' | 'problem.other' {
  if (/out-of-band/.test(problem)) return 'problem.out_of_band';
  if (/role contact/.test(problem)) return 'problem.role';
  return 'problem.other';
}

/** "Always", or the weekly windows in words ("man, tir 08:00–16:00"). */
export function useHoursText(): (hours: Hours) => string[] {
  const t = useT('contacts');
  return (hours) =>
    isWindows(hours)
      ? hours.windows.map((window) =>
          t('window', { days: window.days.map((day) => t(`day.${day}`)).join(', '), from: window.from, to: window.to }),
        )
      : [t('always')];
}

function ContactTable({
  contacts,
  label,
  empty,
  testId,
}: {
  contacts: Contact[];
  label: string;
  empty: string;
  testId: string;
}) {
  const t = useT('contacts');
  const hoursText = useHoursText();
  if (contacts.length === 0) return <p className="empty">{empty}</p>;
  return (
    <DataTable
      rows={contacts}
      rowKey={(contact) => contact.id}
      ariaLabel={label}
      className="table member-table con-table"
      testId={testId}
      initialSort={{ column: 'priority', direction: 'ascending' }}
      rowProps={(contact) => ({ 'data-id': contact.id, 'data-oob': contact.out_of_band })}
      columns={[
        { id: 'priority', header: t('col.priority'), value: (contact) => contact.priority, numeric: true },
        {
          id: 'name',
          header: t('col.name'),
          value: (contact) => contact.name,
          rowHeader: true,
          cell: (contact) => (
            <>
              {contact.name}
              {contact.out_of_band ? (
                <span className="con-badge" data-testid="contacts-oob-badge">
                  <span aria-hidden="true">☎ </span>
                  {t('oobBadge')}
                </span>
              ) : null}
            </>
          ),
        },
        {
          id: 'channels',
          header: t('col.channels'),
          sortable: false,
          cell: (contact) => (
            <ul className="con-channels">
              {(['email', 'phone', 'webhook'] as const)
                .filter((channel) => contact.channels[channel])
                .map((channel) => (
                  <li key={channel}>
                    <span className="con-channel">{t(`channel.${channel}`)}:</span> <code>{contact.channels[channel]}</code>
                  </li>
                ))}
            </ul>
          ),
        },
        { id: 'language', header: t('col.language'), value: (contact) => t(`language.${contact.language}`) },
        {
          id: 'hours',
          header: t('col.hours'),
          sortable: false,
          cell: (contact) => (
            <ul className="con-channels">
              {hoursText(contact.hours).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ),
        },
      ]}
    />
  );
}
