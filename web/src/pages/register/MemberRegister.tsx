import { useState } from 'react';
import { useI18n, useT } from '../../i18n';
import { useSession } from '../../session';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { useAsync } from '../../ui/useAsync';
import { useOrganisations } from '../../ui/useOrganisations';
import { getRegistration, type RegisteredDomain, type Registration } from './api';
import { DomainCard } from './DomainCard';
import { CsvImport, RegistrationForm } from './RegistrationForm';

/** One member's registration: facts, domains with their proof, networks, conflicts, and (for its people) the forms. */
export function MemberRegister({ code }: { code: string }) {
  const t = useT('register');
  const { me } = useSession();
  const orgs = useOrganisations();
  const own = me?.organisation.code === code;
  const [state, retry] = useAsync((signal) => getRegistration(code, signal), [code]);
  const name = own ? (me?.organisation.name ?? code) : orgs.nameOf(code);

  return (
    <div className="reg-page" data-testid="register-member" data-code={code}>
      <section className="panel" aria-labelledby="reg-title">
        {me?.coordinator ? (
          <a className="back" href="#/register">
            ← {t('backNational')}
          </a>
        ) : null}
        <h1 id="reg-title">{t('memberHeading', { name })}</h1>
        <p>{t('intro')}</p>
        <AsyncView
          state={state}
          retry={retry}
          error={(error) => {
            if (error.status === 403) {
              return (
                <p className="warning" role="alert" data-testid="register-refused">
                  {t('refused')}
                </p>
              );
            }
            if (error.kind === 'not_found') {
              return (
                <p className="warning" role="alert" data-testid="register-unknown">
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
      {state.status === 'ok' ? <RegistrationView key={code} code={code} name={name} initial={state.data} /> : null}
    </div>
  );
}

/** The loaded registration; every write answers with the new state, which replaces it here (no reload). */
function RegistrationView({ code, name, initial }: { code: string; name: string; initial: Registration }) {
  const t = useT('register');
  const { me } = useSession();
  const orgs = useOrganisations();
  const [registration, setRegistration] = useState(initial);
  const own = me?.organisation.code === code;
  const canWrite = me?.role === 'admin' || (me?.role === 'member' && own);
  const canApprove = me?.coordinator === true;
  const replaceDomain = (domain: RegisteredDomain) =>
    setRegistration((old) => ({
      ...old,
      domains: old.domains.map((entry) => (entry.name === domain.name ? domain : entry)),
    }));
  const empty =
    registration.domains.length + registration.prefixes.length + registration.asns.length + registration.urls.length === 0;

  return (
    <>
      <section className="panel" aria-label={t('title')}>
        {empty ? <p className="note">{t('nothingYet')}</p> : null}
        <Facts registration={registration} />
        {canWrite ? null : <p className="form-help">{t('readOnly')}</p>}
      </section>

      <section className="panel" aria-labelledby="reg-domains" data-testid="register-domains">
        <h2 id="reg-domains">{t('domainsHeading')}</h2>
        <p>{t('domainsIntro')}</p>
        {registration.domains.length === 0 ? (
          <p className="empty">{t('domainsEmpty')}</p>
        ) : (
          <ul className="reg-domains">
            {registration.domains.map((domain) => (
              <DomainCard
                key={domain.name}
                code={code}
                memberName={name}
                domain={domain}
                canWrite={canWrite}
                canApprove={canApprove}
                onChange={replaceDomain}
              />
            ))}
          </ul>
        )}
      </section>

      <NetworksSection registration={registration} />

      <section className="panel" aria-labelledby="reg-conflicts" data-testid="register-conflicts">
        <h2 id="reg-conflicts">{t('conflictsHeading')}</h2>
        {registration.conflicts.length === 0 ? (
          <p className="empty">{t('conflictsNone')}</p>
        ) : (
          <>
            <p className="warning">{t('conflictsIntro')}</p>
            <DataTable
              rows={registration.conflicts}
              rowKey={(conflict) => `${conflict.kind}:${conflict.key}`}
              caption={t('conflictsCaption')}
              className="table member-table"
              testId="register-conflict-table"
              rowProps={(conflict) => ({ 'data-key': conflict.key, 'data-kind': conflict.kind })}
              columns={[
                {
                  id: 'key',
                  header: t('col.key'),
                  value: (conflict) => conflict.key,
                  rowHeader: true,
                  cell: (conflict) => <code className="reg-value">{conflict.key}</code>,
                },
                { id: 'kind', header: t('col.kind'), value: (conflict) => t(`kind.${conflict.kind}`) },
                {
                  id: 'claimants',
                  header: t('col.claimants'),
                  value: (conflict) => conflict.claimants.map(orgs.nameOf).join(', '),
                },
                {
                  id: 'proven',
                  header: t('col.proven'),
                  value: (conflict) => conflict.proven.map(orgs.nameOf).join(', ') || t('nobody'),
                },
              ]}
            />
          </>
        )}
      </section>

      {canWrite ? (
        <>
          <section className="panel" aria-labelledby="reg-edit">
            <h2 id="reg-edit">{t('editHeading')}</h2>
            <p>{t('editIntro')}</p>
            <RegistrationForm code={code} registration={registration} onSaved={setRegistration} />
          </section>
          <section className="panel" aria-labelledby="reg-csv">
            <h2 id="reg-csv">{t('csvHeading')}</h2>
            <p>{t('csvIntro')}</p>
            <CsvImport code={code} onSaved={setRegistration} />
          </section>
        </>
      ) : null}
    </>
  );
}

function Facts({ registration }: { registration: Registration }) {
  const t = useT('register');
  const { formatNumber, formatDate } = useI18n();
  const proven = registration.domains.filter((domain) => domain.status === 'proven' || domain.status === 'approved').length;
  return (
    <dl className="facts reg-facts" data-testid="register-facts">
      <div>
        <dt>{t('fact.domains')}</dt>
        <dd data-testid="register-domain-count">{formatNumber(registration.domains.length)}</dd>
      </div>
      <div>
        <dt>{t('fact.proven')}</dt>
        <dd>{formatNumber(proven)}</dd>
      </div>
      <div>
        <dt>{t('fact.prefixes')}</dt>
        <dd>{formatNumber(registration.prefixes.length)}</dd>
      </div>
      <div>
        <dt>{t('fact.asns')}</dt>
        <dd>{formatNumber(registration.asns.length)}</dd>
      </div>
      <div>
        <dt>{t('fact.urls')}</dt>
        <dd>{formatNumber(registration.urls.length)}</dd>
      </div>
      <div>
        <dt>{t('fact.version')}</dt>
        <dd>{registration.version}</dd>
      </div>
      {registration.updated ? (
        <div>
          <dt>{t('fact.updated')}</dt>
          <dd className="reg-small">{formatDate(registration.updated)}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function NetworksSection({ registration }: { registration: Registration }) {
  const t = useT('register');
  const ipv4 = registration.prefixes.filter((prefix) => !prefix.includes(':'));
  const ipv6 = registration.prefixes.filter((prefix) => prefix.includes(':'));
  const lists: { id: string; heading: string; values: string[] }[] = [
    { id: 'ipv4', heading: t('ipv4'), values: ipv4 },
    { id: 'ipv6', heading: t('ipv6'), values: ipv6 },
    { id: 'asns', heading: t('asnsHeading'), values: registration.asns.map((asn) => `AS${asn}`) },
    { id: 'urls', heading: t('urlsHeading'), values: registration.urls },
  ];
  return (
    <section className="panel" aria-labelledby="reg-networks" data-testid="register-networks">
      <h2 id="reg-networks">{t('networksHeading')}</h2>
      <p>{t('networksIntro')}</p>
      <div className="reg-lists">
        {lists.map((list) => (
          <div key={list.id}>
            <h3 id={`reg-list-${list.id}`}>{list.heading}</h3>
            {list.values.length === 0 ? (
              <p className="empty">{t('none')}</p>
            ) : (
              <ul className="reg-values" aria-labelledby={`reg-list-${list.id}`} data-testid={`register-${list.id}`}>
                {list.values.map((value) => (
                  <li key={value}>
                    <code className="reg-value">{value}</code>
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </div>
    </section>
  );
}
