import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useI18n, useT } from '../../i18n';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { HubDetail } from '../../ui/HubDetail';
import { MemberPicker } from '../../ui/MemberPicker';
import { useAction } from '../../ui/useAction';
import { useAsync, type LoadState } from '../../ui/useAsync';
import { useOrganisations, type Organisations } from '../../ui/useOrganisations';
import {
  approveNested,
  getConflicts,
  getCoverage,
  lookUpRoute,
  resolveConflict,
  type Conflict,
  type Conflicts,
  type Coverage,
  type Nested,
  type RouteEntry,
  type RouteQuery,
} from './api';
import { ActionRefused } from './ActionRefused';

/** The coordinator's page: coverage, a route look-up, open and decided conflicts, nested networks. */
export function NationalRegister() {
  const t = useT('register');
  const orgs = useOrganisations();
  // A decision changes the conflicts and the coverage: both reload.
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((n) => n + 1);
  const [coverage, retryCoverage] = useAsync((signal) => getCoverage(signal), [version]);
  const [conflicts, retryConflicts] = useAsync((signal) => getConflicts(signal), [version]);
  return (
    <div className="reg-page" data-testid="register-national">
      <section className="panel" aria-labelledby="reg-national">
        <h1 id="reg-national">{t('nationalHeading')}</h1>
        <p>{t('nationalIntro')}</p>
        <MemberPicker orgs={orgs} label={t('pickMember')} hrefOf={(code) => `#/register/${encodeURIComponent(code)}`} testId="register-picker" />
      </section>

      <section className="panel" aria-labelledby="reg-coverage">
        <h2 id="reg-coverage">{t('coverageHeading')}</h2>
        <AsyncView state={coverage} retry={retryCoverage}>
          {(data) => <CoverageFacts coverage={data} />}
        </AsyncView>
      </section>

      <RouteLookup orgs={orgs} />

      <OpenConflicts state={conflicts} retry={retryConflicts} orgs={orgs} onChanged={changed} />
      <NestedPrefixes state={conflicts} retry={retryConflicts} orgs={orgs} onChanged={changed} />
      <DecidedConflicts state={conflicts} retry={retryConflicts} orgs={orgs} />
    </div>
  );
}

const COVERAGE_KEYS = [
  'registered',
  'with_domains',
  'with_prefixes',
  'with_asns',
  'with_proven_domain',
  'domains',
  'domains_proven',
  'domains_approved',
  'prefixes',
  'asns',
  'urls',
  'open_conflicts',
] as const;
const SHARE_OF_ORGANISATIONS = new Set<string>(['registered', 'with_domains', 'with_prefixes', 'with_asns', 'with_proven_domain']);

function CoverageFacts({ coverage }: { coverage: Coverage }) {
  const t = useT('register');
  const { formatNumber } = useI18n();
  return (
    <dl className="facts reg-facts" data-testid="register-coverage">
      <div data-figure="organisations">
        <dt>{t('cov.organisations')}</dt>
        <dd>{formatNumber(coverage.organisations)}</dd>
      </div>
      {COVERAGE_KEYS.map((key) => (
        <div key={key} data-figure={key}>
          <dt>{t(`cov.${key}`)}</dt>
          <dd>
            {SHARE_OF_ORGANISATIONS.has(key)
              ? t('coverageShare', { n: formatNumber(coverage[key]), total: formatNumber(coverage.organisations) })
              : formatNumber(coverage[key])}
          </dd>
        </div>
      ))}
    </dl>
  );
}

type ConflictsState = LoadState<Conflicts>;

/**
 * Choose one owner among several and give a reason: the decision on a
 * conflict, or the approval of a nested network. Focus moves to the choice
 * when it opens; a missing choice or reason is said next to it.
 */
function OwnerDecision({
  legend,
  owners,
  orgs,
  submitLabel,
  reasonHelp,
  pending,
  onSubmit,
  onCancel,
  testId,
}: {
  legend: string;
  owners: readonly string[];
  orgs: Organisations;
  submitLabel: string;
  reasonHelp: string;
  pending: boolean;
  onSubmit: (owner: string, reason: string) => void;
  onCancel: () => void;
  testId: string;
}) {
  const t = useT('register');
  const { t: core } = useI18n();
  const id = useId();
  const [owner, setOwner] = useState('');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<'owner' | 'reason' | null>(null);
  const group = useRef<HTMLFieldSetElement>(null);
  useEffect(() => {
    group.current?.querySelector('input')?.focus();
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!owner) {
      setMissing('owner');
      group.current?.querySelector('input')?.focus();
      return;
    }
    if (reason.trim() === '') {
      setMissing('reason');
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    onSubmit(owner, reason.trim());
  };
  return (
    <form className="form confirm-step reg-decision" onSubmit={submit} noValidate data-testid={testId}>
      <fieldset className="form-fieldset" ref={group} aria-describedby={missing === 'owner' ? `${id}-owner-error` : undefined}>
        <legend>{legend}</legend>
        {owners.map((code) => (
          <label key={code} className="form-choice">
            <input
              type="radio"
              name={`${id}-owner`}
              value={code}
              checked={owner === code}
              onChange={() => {
                setOwner(code);
                setMissing(null);
              }}
              data-testid={`${testId}-owner-${code}`}
            />
            <span>
              {orgs.nameOf(code)} ({code})
            </span>
          </label>
        ))}
        {missing === 'owner' ? (
          <span className="form-invalid" id={`${id}-owner-error`} role="alert">
            {t('chooseOwner')}
          </span>
        ) : null}
      </fieldset>
      <div className="form-field">
        <label htmlFor={`${id}-reason`}>{t('resolveReason')}</label>
        <span className="form-help" id={`${id}-help`}>
          {reasonHelp}
        </span>
        <textarea
          id={`${id}-reason`}
          rows={2}
          value={reason}
          aria-invalid={missing === 'reason' || undefined}
          aria-describedby={`${id}-help${missing === 'reason' ? ` ${id}-reason-error` : ''}`}
          onChange={(event) => {
            setReason(event.target.value);
            setMissing(null);
          }}
          data-testid={`${testId}-reason`}
        />
        {missing === 'reason' ? (
          <span className="form-invalid" id={`${id}-reason-error`} role="alert">
            {core('common.reasonRequired')}
          </span>
        ) : null}
      </div>
      <div className="form-actions">
        <button type="submit" disabled={pending} data-testid={`${testId}-submit`}>
          {submitLabel}
        </button>
        <button type="button" className="button-secondary" onClick={onCancel} disabled={pending}>
          {core('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function OpenConflicts({
  state,
  retry,
  orgs,
  onChanged,
}: {
  state: ConflictsState;
  retry: () => void;
  orgs: Organisations;
  onChanged: () => void;
}) {
  const t = useT('register');
  const [deciding, setDeciding] = useState<Conflict | null>(null);
  const resolve = useAction(async (conflict: Conflict, owner: string, reason: string) => {
    const resolution = await resolveConflict({ kind: conflict.kind, key: conflict.key, owner, reason });
    setDeciding(null);
    onChanged();
    return resolution;
  });
  return (
    <section className="panel" aria-labelledby="reg-open" data-testid="register-open-conflicts">
      <h2 id="reg-open">{t('openHeading')}</h2>
      <p>{t('openIntro')}</p>
      <AsyncView state={resolve.state} loading={null} error={(error) => <ActionRefused message={error.serverMessage} />}>
        {(resolution) => (
          <p role="status" className="form-ok" data-testid="register-resolved">
            {t('resolved', { key: resolution.key, owner: orgs.nameOf(resolution.owner) })}
          </p>
        )}
      </AsyncView>
      <AsyncView state={state} retry={retry}>
        {(data) =>
          data.open.length === 0 ? (
            <p className="empty">{t('openNone')}</p>
          ) : (
            <>
              <DataTable
                rows={data.open}
                rowKey={(conflict) => `${conflict.kind}:${conflict.key}`}
                ariaLabel={t('openHeading')}
                className="table member-table"
                testId="register-open-table"
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
                  { id: 'claimants', header: t('col.claimants'), value: (conflict) => conflict.claimants.map(orgs.nameOf).join(', ') },
                  {
                    id: 'proven',
                    header: t('col.proven'),
                    value: (conflict) => (conflict.kind === 'domain' ? conflict.proven.map(orgs.nameOf).join(', ') || t('nobody') : ''),
                  },
                  {
                    id: 'action',
                    header: t('col.action'),
                    sortable: false,
                    cell: (conflict) => (
                      <button
                        type="button"
                        className="button-secondary"
                        aria-label={t('resolveWhat', { key: conflict.key })}
                        onClick={() => {
                          resolve.reset();
                          setDeciding(conflict);
                        }}
                        data-testid={`register-resolve-${conflict.key}`}
                      >
                        {t('resolve')}
                      </button>
                    ),
                  },
                ]}
              />
              {deciding ? (
                <OwnerDecision
                  key={`${deciding.kind}:${deciding.key}`}
                  legend={t('resolveLegend', { key: deciding.key })}
                  owners={deciding.claimants}
                  orgs={orgs}
                  submitLabel={t('resolveSubmit')}
                  reasonHelp={t('resolveReasonHelp')}
                  pending={resolve.pending}
                  onSubmit={(owner, reason) => void resolve.run(deciding, owner, reason)}
                  onCancel={() => setDeciding(null)}
                  testId="register-resolve-form"
                />
              ) : null}
            </>
          )
        }
      </AsyncView>
    </section>
  );
}

function NestedPrefixes({
  state,
  retry,
  orgs,
  onChanged,
}: {
  state: ConflictsState;
  retry: () => void;
  orgs: Organisations;
  onChanged: () => void;
}) {
  const t = useT('register');
  const [approving, setApproving] = useState<Nested | null>(null);
  const approve = useAction(async (prefix: string, owner: string, reason: string) => {
    const approval = await approveNested({ prefix, owner, reason });
    setApproving(null);
    onChanged();
    return approval;
  });
  return (
    <section className="panel" aria-labelledby="reg-nested" data-testid="register-nested">
      <h2 id="reg-nested">{t('nestedHeading')}</h2>
      <p className="note">{t('nestedIntro')}</p>
      <AsyncView state={approve.state} loading={null} error={(error) => <ActionRefused message={error.serverMessage} />}>
        {(approval) => (
          <p role="status" className="form-ok" data-testid="register-nested-approved">
            {t('nestedApproved', { prefix: approval.prefix, owner: orgs.nameOf(approval.owner) })}
          </p>
        )}
      </AsyncView>
      <AsyncView state={state} retry={retry}>
        {(data) =>
          data.nested.length === 0 ? (
            <p className="empty">{t('nestedNone')}</p>
          ) : (
            <>
              <DataTable
                rows={data.nested}
                rowKey={(nested) => `${nested.inner}:${nested.outer}`}
                ariaLabel={t('nestedHeading')}
                className="table member-table"
                testId="register-nested-table"
                rowProps={(nested) => ({ 'data-inner': nested.inner })}
                columns={[
                  {
                    id: 'inner',
                    header: t('col.inner'),
                    value: (nested) => nested.inner,
                    rowHeader: true,
                    cell: (nested) => <code className="reg-value">{nested.inner}</code>,
                  },
                  { id: 'innerOwners', header: t('col.innerOwners'), value: (nested) => nested.inner_owners.map(orgs.nameOf).join(', ') },
                  {
                    id: 'outer',
                    header: t('col.outer'),
                    value: (nested) => nested.outer,
                    cell: (nested) => <code className="reg-value">{nested.outer}</code>,
                  },
                  { id: 'outerOwners', header: t('col.outerOwners'), value: (nested) => nested.outer_owners.map(orgs.nameOf).join(', ') },
                  {
                    id: 'approved',
                    header: t('col.approved'),
                    value: (nested) => nested.approved.map(orgs.nameOf).join(', '),
                    cell: (nested) =>
                      nested.approved.length > 0 ? (
                        <span className="reg-status reg-status-approved">
                          <span aria-hidden="true">✓ </span>
                          {nested.approved.map(orgs.nameOf).join(', ')}
                        </span>
                      ) : (
                        <span className="reg-status reg-status-pending">
                          <span aria-hidden="true">○ </span>
                          {t('notApproved')}
                        </span>
                      ),
                  },
                  {
                    id: 'action',
                    header: t('col.action'),
                    sortable: false,
                    cell: (nested) =>
                      nested.inner_owners.some((owner) => !nested.approved.includes(owner)) ? (
                        <button
                          type="button"
                          className="button-secondary"
                          aria-label={t('approveNestedWhat', { prefix: nested.inner })}
                          onClick={() => {
                            approve.reset();
                            setApproving(nested);
                          }}
                          data-testid={`register-approve-nested-${nested.inner}`}
                        >
                          {t('approveNested')}
                        </button>
                      ) : null,
                  },
                ]}
              />
              {approving ? (
                <OwnerDecision
                  key={`${approving.inner}:${approving.outer}`}
                  legend={t('approveNestedLegend', { prefix: approving.inner })}
                  owners={approving.inner_owners.filter((owner) => !approving.approved.includes(owner))}
                  orgs={orgs}
                  submitLabel={t('approveNestedSubmit')}
                  reasonHelp={t('approveReasonHelp')}
                  pending={approve.pending}
                  onSubmit={(owner, reason) => void approve.run(approving.inner, owner, reason)}
                  onCancel={() => setApproving(null)}
                  testId="register-nested-form"
                />
              ) : null}
            </>
          )
        }
      </AsyncView>
    </section>
  );
}

function DecidedConflicts({ state, retry, orgs }: { state: ConflictsState; retry: () => void; orgs: Organisations }) {
  const t = useT('register');
  return (
    <section className="panel" aria-labelledby="reg-resolved">
      <h2 id="reg-resolved">{t('resolvedHeading')}</h2>
      <AsyncView state={state} retry={retry}>
        {(data) => (
          <DataTable
            rows={data.resolved}
            rowKey={(resolution) => `${resolution.kind}:${resolution.key}:${resolution.at}`}
            ariaLabel={t('resolvedHeading')}
            className="table member-table"
            testId="register-resolved-table"
            empty={t('resolvedNone')}
            initialSort={{ column: 'at', direction: 'descending' }}
            columns={[
              {
                id: 'key',
                header: t('col.key'),
                value: (resolution) => resolution.key,
                rowHeader: true,
                cell: (resolution) => <code className="reg-value">{resolution.key}</code>,
              },
              { id: 'kind', header: t('col.kind'), value: (resolution) => t(`kind.${resolution.kind}`) },
              { id: 'owner', header: t('col.owner'), value: (resolution) => orgs.nameOf(resolution.owner) },
              { id: 'overruled', header: t('col.overruled'), value: (resolution) => resolution.overruled.map(orgs.nameOf).join(', ') },
              { id: 'reason', header: t('col.reason'), value: (resolution) => resolution.reason },
              { id: 'at', header: t('col.decided'), value: (resolution) => resolution.at, format: 'datetime' },
            ]}
          />
        )}
      </AsyncView>
    </section>
  );
}

/** Who an address, a domain or an AS number routes to, with the chain of covering networks. */
function RouteLookup({ orgs }: { orgs: Organisations }) {
  const t = useT('register');
  const id = useId();
  const [query, setQuery] = useState<Required<RouteQuery>>({ address: '', domain: '', asn: '' });
  const [missing, setMissing] = useState(false);
  const lookUp = useAction((q: RouteQuery) => lookUpRoute(q));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const q = { address: query.address.trim(), domain: query.domain.trim(), asn: query.asn.trim() };
    if (!q.address && !q.domain && !q.asn) {
      setMissing(true);
      document.getElementById(`${id}-address`)?.focus();
      return;
    }
    void lookUp.run(q);
  };
  const fields = [
    { key: 'address', label: t('f.address'), help: t('f.addressHelp') },
    { key: 'domain', label: t('f.domain'), help: t('f.domainHelp') },
    { key: 'asn', label: t('f.asn'), help: t('f.asnHelp') },
  ] as const;
  const owners = (entry: RouteEntry) => entry.owners.map(orgs.nameOf).join(', ');
  return (
    <section className="panel" aria-labelledby="reg-route" data-testid="register-route">
      <h2 id="reg-route">{t('routeHeading')}</h2>
      <p>{t('routeIntro')}</p>
      <form className="form" onSubmit={submit} noValidate>
        <div className="form-grid">
          {fields.map((field) => (
            <div className="form-field" key={field.key}>
              <label htmlFor={`${id}-${field.key}`}>{field.label}</label>
              <span className="form-help" id={`${id}-${field.key}-help`}>
                {field.help}
              </span>
              <input
                id={`${id}-${field.key}`}
                type="text"
                spellCheck={false}
                value={query[field.key]}
                aria-describedby={`${id}-${field.key}-help${missing ? ` ${id}-missing` : ''}`}
                aria-invalid={missing || undefined}
                onChange={(event) => {
                  const value = event.target.value;
                  setQuery((old) => ({ ...old, [field.key]: value }));
                  setMissing(false);
                }}
                data-testid={`register-route-${field.key}`}
              />
            </div>
          ))}
        </div>
        {missing ? (
          <span className="form-invalid" id={`${id}-missing`} role="alert">
            {t('routeNeedOne')}
          </span>
        ) : null}
        <div className="form-actions">
          <button type="submit" disabled={lookUp.pending} data-testid="register-route-submit">
            {t('lookUp')}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        <AsyncView
          state={lookUp.state}
          loading={null}
          error={(error) => (
            <div className="error" role="alert">
              <p>{t('routeRefused')}</p>
              <HubDetail message={error.serverMessage} always />
            </div>
          )}
        >
          {(route) => (
            <div className="reg-route-result" data-testid="register-route-result" data-owners={route.match?.owners.join(',') ?? ''}>
              {route.match === null ? (
                <p>
                  <strong>{t('routeNone')}</strong>
                </p>
              ) : (
                <>
                  <p>
                    <strong>{t('routeTo', { owners: owners(route.match) })}</strong>
                  </p>
                  <p>{t('routeBy', { kind: t(`kind.${route.by ?? route.match.kind}`).toLowerCase(), key: route.match.key })}</p>
                  {route.match.conflict ? <p className="warning">{t('routeConflict')}</p> : null}
                </>
              )}
              {route.chain.length > 1 ? (
                <>
                  <p>{t('routeChain')}</p>
                  <ol className="reg-values">
                    {route.chain.map((entry) => (
                      <li key={entry.key}>
                        <code className="reg-value">{entry.key}</code> — {owners(entry)}
                      </li>
                    ))}
                  </ol>
                </>
              ) : null}
            </div>
          )}
        </AsyncView>
      </div>
    </section>
  );
}
