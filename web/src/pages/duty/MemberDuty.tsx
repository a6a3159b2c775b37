import { useMemo } from 'react';
import { apiUrl } from '../../api';
import { useI18n, useT } from '../../i18n';
import { useSession } from '../../session';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { useAction } from '../../ui/useAction';
import { useAsync } from '../../ui/useAsync';
import { useOrganisations } from '../../ui/useOrganisations';
import { getContacts } from '../contacts/api';
import { downloadIcal, getConfig, getOnDuty, icalUrl, type OnDutyRota } from './api';
import { Participant, type Names } from './common';
import { CalendarLinksSection } from './CalendarLinksSection';
import { KevSection } from './KevSection';
import { NotificationsSection } from './NotificationsSection';

/** One member's duty: who is on duty, the notifications, the rotas as calendar files and the KEV clock. */
export function MemberDuty({ code }: { code: string }) {
  const t = useT('duty');
  const { me } = useSession();
  const orgs = useOrganisations();
  const own = me?.organisation.code === code;
  const name = own ? (me?.organisation.name ?? code) : orgs.nameOf(code);
  const [config, retry] = useAsync((signal) => getConfig(code, signal), [code]);
  // Names only from the signed-in member's own contacts: nobody else's are read or shown.
  const [contacts] = useAsync(async (signal) => (own ? getContacts(code, signal) : null), [code, own]);
  const names: Names = useMemo(
    () => new Map(contacts.status === 'ok' && contacts.data ? contacts.data.contacts.map((contact) => [contact.id, contact.name]) : []),
    [contacts],
  );
  const configured = config.status === 'ok' && config.data.version > 0;
  return (
    <div className="duty-page" data-testid="duty-member" data-code={code}>
      <section className="panel" aria-labelledby="duty-title">
        {me?.coordinator ? (
          <a className="back" href="#/duty">
            ← {t('backNational')}
          </a>
        ) : null}
        <h1 id="duty-title">{t('memberHeading', { name })}</h1>
        <p>{t('intro')}</p>
        <AsyncView
          state={config}
          retry={retry}
          error={(error) => {
            if (error.status === 403) {
              return (
                <p className="warning" role="alert" data-testid="duty-refused">
                  {t('refused')}
                </p>
              );
            }
            if (error.kind === 'not_found') {
              return (
                <p className="warning" role="alert" data-testid="duty-unknown">
                  {t('unknownMember', { code })}
                </p>
              );
            }
            return undefined;
          }}
        >
          {() => (
            <p className="note" data-testid="duty-privacy">
              {own ? t('privacy') : t('coordinatorIds')}
            </p>
          )}
        </AsyncView>
      </section>
      {config.status === 'ok' ? (
        <>
          {configured ? <OnDutySection code={code} names={names} own={own} /> : <SetupSection own={own} />}
          <NotificationsSection code={code} names={names} />
          <KevSection code={code} />
        </>
      ) : null}
    </div>
  );
}

/** Who is on duty now in each rota, until when, and each rota as a calendar file. */
function OnDutySection({ code, names, own }: { code: string; names: Names; own: boolean }) {
  const t = useT('duty');
  const { formatDate } = useI18n();
  const [state, retry] = useAsync((signal) => getOnDuty(code, signal), [code]);
  return (
    <section className="panel" aria-labelledby="duty-now" data-testid="duty-on-duty">
      <h2 id="duty-now">{t('onDutyHeading')}</h2>
      <AsyncView state={state} retry={retry}>
        {(data) => (
          <>
            <DataTable
              rows={data.rotas}
              rowKey={(rota) => rota.rota}
              caption={t('onDutyCaption')}
              className="table member-table"
              testId="duty-rotas"
              empty={t('onDutyEmpty')}
              rowProps={(rota) => ({ 'data-rota': rota.rota, 'data-on-duty': rota.on_duty ?? '' })}
              columns={[
                {
                  id: 'rota',
                  header: t('col.rota'),
                  value: (rota) => rota.name || rota.rota,
                  rowHeader: true,
                },
                {
                  id: 'on_duty',
                  header: t('col.onDuty'),
                  value: (rota) => (rota.on_duty ? (names.get(rota.on_duty) ?? rota.on_duty) : ''),
                  cell: (rota) =>
                    rota.on_duty ? (
                      <Participant id={rota.on_duty} names={names} />
                    ) : (
                      <span className="duty-gap" data-testid="duty-gap">
                        {t('nobody')}
                      </span>
                    ),
                },
                {
                  id: 'until',
                  header: t('col.until'),
                  value: (rota) => rota.until ?? '',
                  cell: (rota) => (rota.until ? formatDate(rota.until) : '—'),
                },
                {
                  id: 'calendar',
                  header: t('col.calendar'),
                  sortable: false,
                  cell: (rota) => <CalendarLink code={code} rota={rota} />,
                },
              ]}
            />
            <p className="duty-small">{t('downloadHelp')}</p>
            {own && data.rotas.length > 0 ? <CalendarLinksSection code={code} rotas={data.rotas} /> : null}
          </>
        )}
      </AsyncView>
    </section>
  );
}

/** A link to the rota's iCalendar export; the click fetches it with the member's token and saves it. */
function CalendarLink({ code, rota }: { code: string; rota: OnDutyRota }) {
  const t = useT('duty');
  const download = useAction(() => downloadIcal(code, rota.rota));
  return (
    <>
      <a
        href={icalUrl(code, rota.rota)}
        data-testid="duty-ical"
        onClick={(event) => {
          event.preventDefault();
          void download.run();
        }}
      >
        {t('downloadShort')}
        {/* The name begins with the visible words and says which rota (WCAG 2.5.3). */}
        <span className="visually-hidden"> ({rota.name || rota.rota})</span>
      </a>
      {download.state.status === 'error' ? (
        <span role="alert" className="duty-small">
          {' '}
          {t('downloadFailed')}
        </span>
      ) : null}
    </>
  );
}

/** No config yet: what duty needs and how to send it, in words, with an example. */
function SetupSection({ own }: { own: boolean }) {
  const t = useT('duty');
  const example = {
    rotas: { soc: { name: 'SOC-vagt', layers: [{ participants: ['vagt-a', 'vagt-b'], rotation_days: 7, handoff: '08:00', start: '2026-01-05' }] } },
    policies: { soc: { steps: [{ delay_minutes: 0, targets: [{ kind: 'rota', ref: 'soc' }] }] } },
    routes: { routes: [{ event: 'outside_report', policy: 'soc' }] },
  };
  return (
    <section className="panel" aria-labelledby="duty-setup" data-testid="duty-setup">
      <h2 id="duty-setup">{t('setupHeading')}</h2>
      <p>{t('setupIntro')}</p>
      <ol className="duty-steps">
        <li>
          {t('setupContacts')} {own ? <a href="#/contacts">{t('setupContactsLink')}</a> : null}
        </li>
        <li>
          {t('setupConfig')} <code>PUT /api/v1/duty/members/…/config</code>
        </li>
        <li>
          {t('setupDocs')} <code>docs/duty.md</code>, {t('setupApi')} <a href={apiUrl('api/v1/openapi.json')}>{t('setupDocsLink')}</a>
        </li>
      </ol>
      <p>{t('setupExample')}</p>
      <pre className="duty-example">{JSON.stringify(example, null, 2)}</pre>
    </section>
  );
}
