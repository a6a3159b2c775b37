import { getOrganisation, type OrganisationDetail } from '../../api';
import { useI18n } from '../../i18n';
import { regionColour } from '../../regions';
import { lastMembersHref } from '../../nav';
import { useAsync } from '../../ui/useAsync';
import { AsyncView } from '../../ui/AsyncView';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Loading } from '../../ui/Loading';
import { RelationList } from './RelationList';

function BackLink() {
  const { t } = useI18n();
  return (
    <a className="back" href={lastMembersHref()}>
      ← {t('member.back')}
    </a>
  );
}

export function MemberPage({ code }: { code: string }) {
  const { t } = useI18n();
  const [state, retry] = useAsync((signal) => getOrganisation(code, signal), [code]);
  // The section keeps its test hooks in every state: data-state is ok, unknown or error.
  const frame = (content: JSX.Element, extra: { 'data-state'?: string; 'aria-busy'?: boolean }) => (
    <section className="panel" data-testid="member-page" data-code={code} {...extra}>
      <BackLink />
      {content}
    </section>
  );
  return (
    <AsyncView
      state={state}
      loading={frame(<Loading />, { 'aria-busy': true })}
      error={(error) =>
        error.kind === 'not_found'
          ? frame(
              <div className="unknown" data-testid="unknown-member" role="alert">
                <h1>{t('member.unknownTitle')}</h1>
                <p>{t('member.unknownText', { code })}</p>
              </div>,
              { 'data-state': 'unknown' },
            )
          : frame(<ErrorMessage error={error} onRetry={retry} />, { 'data-state': 'error' })
      }
    >
      {(m) => <MemberView m={m} />}
    </AsyncView>
  );
}

function MemberView({ m }: { m: OrganisationDetail }) {
  const { t, kindLabel, regionLabel, formatNumber } = useI18n();
  return (
    <article className="member" data-testid="member-page" data-code={m.code} data-state="ok">
      <header className="panel member-header">
        <BackLink />
        <h1 data-testid="member-name">{m.name}</h1>
        <dl className="facts">
          <div>
            <dt>{t('member.code')}</dt>
            <dd data-testid="member-code" className="code">
              {m.code}
            </dd>
          </div>
          <div>
            <dt>{t('member.kind')}</dt>
            <dd data-testid="member-kind">{kindLabel(m.kind)}</dd>
          </div>
          <div>
            <dt>{t('member.region')}</dt>
            <dd data-testid="member-region">
              {m.region_code || m.region_name ? (
                <>
                  <span className="swatch" style={{ background: regionColour(m.region_code) }} aria-hidden="true" />
                  {regionLabel(m.region_code, m.region_name)}
                </>
              ) : (
                t('common.none')
              )}
            </dd>
          </div>
          <div>
            <dt>{t('member.population')}</dt>
            <dd data-testid="member-population" className="num">
              {m.population == null ? t('common.none') : formatNumber(m.population)}
            </dd>
          </div>
        </dl>
        {m.description ? <p className="description">{m.description}</p> : null}
        {m.stix_id ? (
          <p className="stix">
            {t('member.stix')}: <code>{m.stix_id}</code>
          </p>
        ) : null}
      </header>
      {m.dependencies === null || m.dependents === null ? (
        <p className="panel" data-testid="relations-sign-in">
          <a href="#/login">{t('member.signInForRelations')}</a>
        </p>
      ) : (
        <div className="member-relations">
          <section className="panel">
            <h2>
              {t('member.dependencies')} <span className="count-pill">{m.dependencies.length}</span>
            </h2>
            <RelationList edges={m.dependencies} emptyText={t('member.noDependencies')} testId="dependencies" />
          </section>
          <section className="panel">
            <h2>
              {t('member.dependents')} <span className="count-pill">{m.dependents.length}</span>
            </h2>
            <RelationList edges={m.dependents} emptyText={t('member.noDependents')} testId="dependents" />
          </section>
        </div>
      )}
    </article>
  );
}
