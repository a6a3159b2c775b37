import { useState, type FormEvent } from 'react';
import { useI18n, useT } from '../../i18n';
import { useSession } from '../../session';
import { AsyncView } from '../../ui/AsyncView';
import { When } from './When';
import { DataTable } from '../../ui/DataTable';
import { useAction } from '../../ui/useAction';
import { useAsync } from '../../ui/useAsync';
import {
  getNationalCompetences,
  getRegister,
  putRegister,
  type Holder,
  type NationalCompetences,
  type Register,
  type RegisterInput,
  type Training,
} from './api';

/** #/incidents/competences: the member's register and gaps; the coordinator's national coverage. */
export function CompetencesPage() {
  const session = useSession();
  const t = useT('incidents');
  const me = session.me;
  if (!me) return null;
  return (
    <>
      <section className="panel">
        <h1>{t('compTitle')}</h1>
        <p className="inc-meta">{t('privacy')}</p>
      </section>
      {me.role === 'member' || me.role === 'admin' ? <RegisterPanel code={me.organisation.code} /> : null}
      <NationalPanel />
    </>
  );
}

interface RoleRow {
  staff: string;
  serviceKind: '' | 'contracted' | 'shared';
  provider: string;
}

function rowsOf(register: Register): Record<string, RoleRow> {
  const rows: Record<string, RoleRow> = {};
  for (const profile of register.profiles) rows[profile.id] = { staff: '', serviceKind: '', provider: '' };
  for (const assignment of register.roles) {
    const staff = assignment.holders.filter((holder) => holder.kind === 'staff').map((holder) => holder.initials ?? '');
    const service = assignment.holders.find((holder) => holder.kind !== 'staff');
    rows[assignment.role] = {
      staff: staff.join(', '),
      serviceKind: service ? (service.kind as 'contracted' | 'shared') : '',
      provider: service?.provider ?? '',
    };
  }
  return rows;
}

function RegisterPanel({ code }: { code: string }) {
  const [state, retry] = useAsync((signal) => getRegister(code, signal), [code]);
  return (
    <AsyncView state={state} retry={retry}>
      {(register) => <RegisterEditor key={register.version} register={register} onSaved={retry} />}
    </AsyncView>
  );
}

function RegisterEditor({ register, onSaved }: { register: Register; onSaved: () => void }) {
  const t = useT('incidents');
  const { lang } = useI18n();
  const [rows, setRows] = useState(() => rowsOf(register));
  const [trainings, setTrainings] = useState<Training[]>(register.trainings);
  const [draft, setDraft] = useState<Training>({ title: '', kind: 'management', date: '', participants: ['management'] });
  const put = useAction((change: RegisterInput) => putRegister(register.org.code, change));
  const gapsByRole = new Map(register.gaps.roles.map((gap) => [gap.role, gap]));
  const rowOf = (role: string): RoleRow => rows[role] ?? { staff: '', serviceKind: '', provider: '' };
  const update = (role: string, patch: Partial<RoleRow>) => setRows({ ...rows, [role]: { ...rowOf(role), ...patch } });

  async function save(event: FormEvent) {
    event.preventDefault();
    const roles = register.profiles
      .map((profile) => {
        const row = rows[profile.id];
        const holders: Holder[] = [];
        if (row) {
          for (const initials of row.staff.split(',').map((part) => part.trim()).filter(Boolean)) {
            holders.push({ initials, kind: 'staff' });
          }
          if (row.serviceKind && row.provider.trim()) holders.push({ kind: row.serviceKind, provider: row.provider.trim() });
        }
        return { role: profile.id, holders };
      })
      .filter((assignment) => assignment.holders.length > 0);
    if (await put.run({ roles, trainings, version: register.version })) onSaved();
  }

  return (
    <section className="panel" data-testid="comp-register">
      <h2>
        {t('compMine')} — {register.org.name}
      </h2>
      <p>
        {t('band')}: {t(`band_${register.gaps.band}`)} · {t('score')}: {Math.round(register.gaps.score * 100)} % ·{' '}
        {register.gaps.management_training_current ? t('mgmtCurrent') : t('mgmtMissing')}
      </p>
      <p data-testid="comp-gaps">
        <strong>{t('gaps')}:</strong>{' '}
        {register.gaps.gaps.length === 0
          ? t('noGaps')
          : register.gaps.gaps.map((role) => register.profiles.find((p) => p.id === role)?.[lang] ?? role).join(', ')}
      </p>
      <form onSubmit={save} noValidate>
        <DataTable
          rows={register.profiles}
          rowKey={(profile) => profile.id}
          className="inc-table"
          ariaLabel={t('compMine')}
          rowProps={(profile) => ({
            'data-role': profile.id,
            className: gapsByRole.get(profile.id)?.required ? 'inc-required' : undefined,
          })}
          columns={[
            {
              id: 'role',
              header: t('role'),
              value: (profile) => profile[lang],
              cell: (profile) => (
                <span title={lang === 'da' ? profile.description_da : profile.description_en}>
                  {profile[lang]}
                  {gapsByRole.get(profile.id)?.required ? <small> · {t('requiredRole')}</small> : null}
                </span>
              ),
            },
            {
              id: 'staff',
              header: (
                <>
                  {t('staff')} <small>{t('staffHint')}</small>
                </>
              ),
              headerText: t('staff'),
              cell: (profile) => (
                <input
                  value={rowOf(profile.id).staff}
                  onChange={(e) => update(profile.id, { staff: e.target.value })}
                  aria-label={`${profile[lang]}: ${t('staff')}`}
                />
              ),
            },
            {
              id: 'serviceKind',
              header: t('serviceKind'),
              cell: (profile) => (
                <select
                  value={rowOf(profile.id).serviceKind}
                  onChange={(e) => update(profile.id, { serviceKind: e.target.value as RoleRow['serviceKind'] })}
                  aria-label={`${profile[lang]}: ${t('serviceKind')}`}
                >
                  <option value="">—</option>
                  <option value="contracted">contracted</option>
                  <option value="shared">shared</option>
                </select>
              ),
            },
            {
              id: 'provider',
              header: t('provider'),
              cell: (profile) => (
                <input
                  value={rowOf(profile.id).provider}
                  onChange={(e) => update(profile.id, { provider: e.target.value })}
                  aria-label={`${profile[lang]}: ${t('provider')}`}
                />
              ),
            },
            {
              id: 'coverage',
              header: t('coverage'),
              value: (profile) => gapsByRole.get(profile.id)?.coverage,
              cell: (profile) => {
                const gap = gapsByRole.get(profile.id);
                return (
                  <>
                    {gap ? t(`cov_${gap.coverage}`) : ''}
                    {gap?.single_person ? <span className="inc-badge inc-overdue"> {t('singlePerson')}</span> : null}
                  </>
                );
              },
            },
          ]}
        />
        <h3>{t('trainings')}</h3>
        <ul>
          {trainings.map((training, idx) => (
            <li key={`${training.title}-${training.date}-${idx}`}>
              <When at={training.date} style="date" /> · {training.title} · {t(`tk_${training.kind}`)}{' '}
              <button type="button" className="inc-link" onClick={() => setTrainings(trainings.filter((_, i) => i !== idx))}>
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
        <div className="inc-row">
          <input placeholder={t('tTitle')} aria-label={t('tTitle')} value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
          <select
            aria-label={t('tKind')}
            value={draft.kind}
            onChange={(e) => setDraft({ ...draft, kind: e.target.value as Training['kind'] })}
          >
            <option value="management">{t('tk_management')}</option>
            <option value="role">{t('tk_role')}</option>
            <option value="awareness">{t('tk_awareness')}</option>
          </select>
          <input type="date" value={draft.date} onChange={(e) => setDraft({ ...draft, date: e.target.value })} aria-label={t('tDate')} />
          <button
            type="button"
            disabled={!draft.title.trim() || !draft.date}
            onClick={() => {
              setTrainings([...trainings, { ...draft, participants: draft.kind === 'management' ? ['management'] : [] }]);
              setDraft({ title: '', kind: 'management', date: '', participants: ['management'] });
            }}
          >
            {t('addTraining')}
          </button>
        </div>
        <AsyncView state={put.state}>{(saved) => <p role="status">{t('saved', { version: saved.version })}</p>}</AsyncView>
        <button type="submit" disabled={put.pending}>
          {t('save')}
        </button>
      </form>
      <details>
        <summary>{t('evidence')}</summary>
        <pre>{JSON.stringify(register.baseline_evidence, null, 2)}</pre>
      </details>
    </section>
  );
}

function NationalPanel() {
  const [state, retry] = useAsync((signal) => getNationalCompetences(signal), []);
  return (
    <AsyncView state={state} retry={retry}>
      {(data) => <NationalCoverage data={data} />}
    </AsyncView>
  );
}

function NationalCoverage({ data }: { data: NationalCompetences }) {
  const t = useT('incidents');
  const { lang } = useI18n();
  const name = (role: string) => data.profiles.find((profile) => profile.id === role)?.[lang] ?? role;
  return (
    <section className="panel" data-testid="comp-national">
      <h2>{t('compNational')}</h2>
      <p>
        {t('registers')}: {data.registers} · {t('mgmtCurrent')}: {data.management_training_current}
      </p>
      <DataTable
        rows={data.roles}
        rowKey={(row) => row.role}
        className="inc-table"
        ariaLabel={t('compNational')}
        columns={[
          { id: 'role', header: t('role'), value: (row) => name(row.role) },
          { id: 'covered', header: t('covered'), value: (row) => row.covered, numeric: true },
          { id: 'partly', header: t('partly'), value: (row) => row.partly, numeric: true },
          { id: 'missing', header: t('missing'), value: (row) => row.missing, numeric: true },
          { id: 'single', header: t('singlePerson'), value: (row) => row.single_person, numeric: true },
        ]}
      />
      <h3>{t('suggestions')}</h3>
      {data.suggestions.length === 0 ? <p>{t('noSuggestions')}</p> : null}
      <ul data-testid="comp-suggestions">
        {data.suggestions.map((suggestion) => (
          <li key={`${suggestion.region.code}-${suggestion.role}`}>
            {t('suggestionText', { role: name(suggestion.role), region: suggestion.region.name, count: suggestion.count })}
            {suggestion.members ? ` (${suggestion.members.map((member) => member.name).join(', ')})` : ''}
          </li>
        ))}
      </ul>
      {data.single_person ? (
        <>
          <h3>{t('singlePersons')}</h3>
          <ul>
            {data.single_person.map((item) => (
              <li key={`${item.org.code}-${item.role}`}>
                {item.org.name}: {name(item.role)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
