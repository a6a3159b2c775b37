import { useId, useRef, useState, type FormEvent } from 'react';
import { useI18n, useT } from '../../i18n';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { HubDetail } from '../../ui/HubDetail';
import { MemberPicker } from '../../ui/MemberPicker';
import { useAction } from '../../ui/useAction';
import { useAsync } from '../../ui/useAsync';
import { useOrganisations, type Organisations } from '../../ui/useOrganisations';
import {
  FORMATS,
  REPORT_TYPE_PATTERN,
  SEVERITIES,
  getBlindSpots,
  listReports,
  noticeHref,
  postReport,
  type BlindSpots,
  type FormatFamily,
  type Ingest,
  type Severity,
} from './api';
import { ReportType, TlpAmber, useTypeLabel } from './common';

/** The coordinator's page: load a report, its outcome, every load, the blind spots and the notices members disputed. */
export function NationalNotices() {
  const t = useT('notices');
  const orgs = useOrganisations();
  // A load changes the list of loads and the blind spots: both reload.
  const [version, setVersion] = useState(0);
  const [reports, retryReports] = useAsync((signal) => listReports(signal), [version]);
  const [blind, retryBlind] = useAsync((signal) => getBlindSpots(signal), [version]);
  return (
    <div className="ntc-page" data-testid="notices-national">
      <section className="panel" aria-labelledby="ntc-national">
        <h1 id="ntc-national">{t('nationalHeading')}</h1>
        <p>{t('nationalIntro')}</p>
        <TlpAmber />
        <MemberPicker orgs={orgs} label={t('pickMember')} hrefOf={(code) => `#/notices/${encodeURIComponent(code)}`} testId="notices-picker" />
      </section>

      <UploadSection orgs={orgs} onLoaded={() => setVersion((n) => n + 1)} />

      <section className="panel" aria-labelledby="ntc-ingests">
        <h2 id="ntc-ingests">{t('ingestsHeading')}</h2>
        <AsyncView state={reports} retry={retryReports}>
          {(list) => <IngestTable ingests={list} />}
        </AsyncView>
      </section>

      <section className="panel" aria-labelledby="ntc-blind" data-testid="notices-blind">
        <h2 id="ntc-blind">{t('blindHeading')}</h2>
        <p>{t('blindIntro')}</p>
        <AsyncView state={blind} retry={retryBlind}>
          {(data) => <BlindSpotTable data={data} orgs={orgs} />}
        </AsyncView>
      </section>

      <section className="panel" aria-labelledby="ntc-disputed" data-testid="notices-disputed">
        <h2 id="ntc-disputed">{t('disputedHeading')}</h2>
        <p>{t('disputedIntro')}</p>
        <AsyncView state={blind} retry={retryBlind}>
          {(data) => <DisputedTable data={data} orgs={orgs} />}
        </AsyncView>
      </section>
    </div>
  );
}

type Problem = 'file' | 'source' | 'reportType' | 'badType' | 'unreadable';

function UploadSection({ orgs, onLoaded }: { orgs: Organisations; onLoaded: () => void }) {
  const t = useT('notices');
  const id = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [family, setFamily] = useState<FormatFamily>('shadowserver');
  const [reportType, setReportType] = useState('');
  const [source, setSource] = useState('');
  const [severity, setSeverity] = useState<Severity>('medium');
  const [addressColumn, setAddressColumn] = useState('');
  const [domainColumn, setDomainColumn] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const upload = useAction(async (text: string, format: string, origin: string) => {
    const ingest = await postReport(
      {
        format,
        source: source.trim(),
        origin,
        severity,
        address_column: family === 'shadowserver' ? undefined : addressColumn.trim() || undefined,
        domain_column: family === 'shadowserver' ? undefined : domainColumn.trim() || undefined,
      },
      text,
    );
    onLoaded();
    return ingest;
  });

  const fail = (which: Problem, focus: string) => {
    setProblem(which);
    document.getElementById(focus)?.focus();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    upload.reset();
    const type = reportType.trim();
    if (!file) return fail('file', `${id}-file`);
    if (family === 'shadowserver' && type === '') return fail('reportType', `${id}-type`);
    if (type !== '' && !REPORT_TYPE_PATTERN.test(type)) return fail('badType', `${id}-type`);
    if (source.trim() === '') return fail('source', `${id}-source`);
    let text: string;
    try {
      text = await file.text();
    } catch {
      return fail('unreadable', `${id}-file`);
    }
    setProblem(null);
    void upload.run(text, type ? `${family}:${type}` : family, file.name);
  };

  const message = (which: Problem[]) =>
    problem && which.includes(problem)
      ? {
          file: t('needFile'),
          unreadable: t('fileUnreadable'),
          reportType: t('needType'),
          badType: t('badType'),
          source: t('needSource'),
        }[problem]
      : null;
  const errorOf = (name: string, which: Problem[]) => {
    const text = message(which);
    return text ? (
      <span className="form-invalid" id={`${id}-${name}-error`} role="alert">
        {text}
      </span>
    ) : null;
  };
  const described = (name: string, which: Problem[]) => `${id}-${name}-help${message(which) ? ` ${id}-${name}-error` : ''}`;

  return (
    <section className="panel" aria-labelledby="ntc-upload" data-testid="notices-upload">
      <h2 id="ntc-upload">{t('uploadHeading')}</h2>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <div className="form-grid">
          <div className="form-field">
            <label htmlFor={`${id}-file`}>{t('f.file')}</label>
            <span className="form-help" id={`${id}-file-help`}>
              {t('f.fileHelp')}
            </span>
            <input
              id={`${id}-file`}
              ref={fileInput}
              type="file"
              accept=".csv,.json,.jsonl,text/csv,application/json"
              aria-describedby={described('file', ['file', 'unreadable'])}
              aria-invalid={message(['file', 'unreadable']) ? true : undefined}
              onChange={(event) => {
                setFile(event.target.files?.[0] ?? null);
                setProblem(null);
              }}
              data-testid="notices-file"
            />
            {errorOf('file', ['file', 'unreadable'])}
          </div>
          <div className="form-field">
            <label htmlFor={`${id}-format`}>{t('f.format')}</label>
            <select
              id={`${id}-format`}
              value={family}
              onChange={(event) => setFamily(FORMATS.find((f) => f === event.target.value) ?? 'shadowserver')}
              data-testid="notices-format"
            >
              {FORMATS.map((f) => (
                <option key={f} value={f}>
                  {t(`format.${f}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="form-field">
            <label htmlFor={`${id}-type`}>{t('f.reportType')}</label>
            <span className="form-help" id={`${id}-type-help`}>
              {t('f.reportTypeHelp')} <code>scan_rdp</code>
            </span>
            <input
              id={`${id}-type`}
              type="text"
              spellCheck={false}
              value={reportType}
              aria-describedby={described('type', ['reportType', 'badType'])}
              aria-invalid={message(['reportType', 'badType']) ? true : undefined}
              onChange={(event) => {
                setReportType(event.target.value);
                setProblem(null);
              }}
              data-testid="notices-report-type"
            />
            {errorOf('type', ['reportType', 'badType'])}
          </div>
          <div className="form-field">
            <label htmlFor={`${id}-source`}>{t('f.source')}</label>
            <span className="form-help" id={`${id}-source-help`}>
              {t('f.sourceHelp')}
            </span>
            <input
              id={`${id}-source`}
              type="text"
              maxLength={100}
              value={source}
              aria-describedby={described('source', ['source'])}
              aria-invalid={message(['source']) ? true : undefined}
              onChange={(event) => {
                setSource(event.target.value);
                setProblem(null);
              }}
              data-testid="notices-source-input"
            />
            {errorOf('source', ['source'])}
          </div>
          <div className="form-field">
            <label htmlFor={`${id}-severity`}>{t('f.severity')}</label>
            <select
              id={`${id}-severity`}
              value={severity}
              onChange={(event) => setSeverity(SEVERITIES.find((s) => s === event.target.value) ?? 'medium')}
              data-testid="notices-severity"
            >
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {t(`severity.${s}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        {family === 'shadowserver' ? null : (
          <fieldset className="form-fieldset">
            <legend>{t('f.columns')}</legend>
            <p className="form-help" id={`${id}-columns-help`}>
              {t('f.columnsHelp')}
            </p>
            <div className="form-grid">
              <div className="form-field">
                <label htmlFor={`${id}-address`}>{t('f.addressColumn')}</label>
                <input
                  id={`${id}-address`}
                  type="text"
                  spellCheck={false}
                  value={addressColumn}
                  aria-describedby={`${id}-columns-help`}
                  onChange={(event) => setAddressColumn(event.target.value)}
                />
              </div>
              <div className="form-field">
                <label htmlFor={`${id}-domain`}>{t('f.domainColumn')}</label>
                <input
                  id={`${id}-domain`}
                  type="text"
                  spellCheck={false}
                  value={domainColumn}
                  aria-describedby={`${id}-columns-help`}
                  onChange={(event) => setDomainColumn(event.target.value)}
                />
              </div>
            </div>
          </fieldset>
        )}
        <div className="form-actions">
          <button type="submit" disabled={upload.pending} data-testid="notices-upload-submit">
            {upload.pending ? t('uploading') : t('upload')}
          </button>
        </div>
      </form>
      <AsyncView
        state={upload.state}
        loading={
          <p role="status" className="ntc-small">
            {t('uploading')}
          </p>
        }
        error={(error) => (
          <div className="error" role="alert" data-testid="notices-upload-refused">
            <p>{t('uploadRefused')}</p>
            <HubDetail message={error.serverMessage} always />
          </div>
        )}
      >
        {(ingest) => <IngestSummary ingest={ingest} orgs={orgs} />}
      </AsyncView>
    </section>
  );
}

const SUMMARY_FIGURES = [
  'records',
  'rows',
  'rejected',
  'duplicates_in_file',
  'routed',
  'already_routed',
  'held_conflict',
  'blind_spots',
] as const;

function IngestSummary({ ingest, orgs }: { ingest: Ingest; orgs: Organisations }) {
  const t = useT('notices');
  const { formatNumber } = useI18n();
  const members = Object.entries(ingest.members);
  return (
    <div className="ntc-summary" data-testid="notices-ingest-summary">
      <h3>{t('summaryHeading')}</h3>
      <p role="status" className="form-ok">
        {t('summaryDone', {
          origin: ingest.origin ?? ingest.report_type,
          routed: formatNumber(ingest.routed),
          members: formatNumber(members.length),
          blind: formatNumber(ingest.blind_spots),
        })}
      </p>
      <dl className="facts ntc-facts">
        {SUMMARY_FIGURES.map((key) => (
          <div key={key} data-figure={key}>
            <dt>{t(`sum.${key}`)}</dt>
            <dd>{formatNumber(ingest[key] ?? 0)}</dd>
          </div>
        ))}
        <div data-figure="members">
          <dt>{t('sum.members')}</dt>
          <dd>{formatNumber(members.length)}</dd>
        </div>
      </dl>
      {members.length > 0 ? (
        <DataTable
          rows={members}
          rowKey={([code]) => code}
          caption={t('membersCaption')}
          className="table member-table"
          testId="notices-ingest-members"
          initialSort={{ column: 'rows', direction: 'descending' }}
          rowProps={([code]) => ({ 'data-code': code })}
          columns={[
            {
              id: 'member',
              header: t('col.member'),
              value: ([code]) => orgs.nameOf(code),
              rowHeader: true,
              cell: ([code]) => <a href={noticeHref(code)}>{orgs.nameOf(code)}</a>,
            },
            { id: 'rows', header: t('col.rows'), value: ([, rows]) => rows, format: 'number', numeric: true },
          ]}
        />
      ) : null}
      {ingest.problems.length > 0 ? (
        <DataTable
          rows={ingest.problems}
          rowKey={(problem) => `${problem.line}:${problem.field}:${problem.reason}`}
          caption={t('problemsCaption')}
          className="table member-table"
          testId="notices-ingest-problems"
          pageSize={25}
          columns={[
            { id: 'line', header: t('col.line'), value: (problem) => problem.line, numeric: true, rowHeader: true },
            {
              id: 'field',
              header: t('col.column'),
              value: (problem) => problem.field,
              cell: (problem) => (problem.field ? <code>{problem.field}</code> : '—'),
            },
            {
              id: 'reason',
              header: t('col.reason'),
              value: (problem) => problem.reason,
              // The reader's reasons are English: marked so, for screen readers.
              cell: (problem) => <span lang="en">{problem.reason}</span>,
            },
            { id: 'kind', header: t('col.kind'), value: (problem) => t(`problem.${problem.severity}`) },
          ]}
        />
      ) : null}
    </div>
  );
}

function IngestTable({ ingests }: { ingests: Ingest[] }) {
  const t = useT('notices');
  const typeLabel = useTypeLabel();
  return (
    <DataTable
      rows={ingests}
      rowKey={(ingest) => ingest.id}
      ariaLabel={t('ingestsHeading')}
      className="table member-table"
      testId="notices-ingests"
      pageSize={25}
      empty={t('ingestsEmpty')}
      initialSort={{ column: 'received', direction: 'descending' }}
      rowProps={(ingest) => ({ 'data-id': ingest.id, 'data-source': ingest.source })}
      columns={[
        { id: 'received', header: t('col.received'), value: (ingest) => ingest.received, format: 'datetime', rowHeader: true },
        {
          id: 'type',
          header: t('col.type'),
          value: (ingest) => typeLabel(ingest.report_type),
          cell: (ingest) => <ReportType type={ingest.report_type} />,
        },
        { id: 'source', header: t('col.source'), value: (ingest) => ingest.source },
        {
          id: 'origin',
          header: t('col.origin'),
          value: (ingest) => ingest.origin ?? '',
          cell: (ingest) => (ingest.origin ? <code className="ntc-code">{ingest.origin}</code> : '—'),
        },
        { id: 'rows', header: t('col.rows'), value: (ingest) => ingest.rows, format: 'number', numeric: true },
        { id: 'rejected', header: t('col.rejected'), value: (ingest) => ingest.rejected, format: 'number', numeric: true },
        { id: 'routed', header: t('col.routed'), value: (ingest) => ingest.routed, format: 'number', numeric: true },
        { id: 'held', header: t('col.held'), value: (ingest) => ingest.held_conflict, format: 'number', numeric: true },
        { id: 'blind', header: t('col.blind'), value: (ingest) => ingest.blind_spots, format: 'number', numeric: true },
        { id: 'members', header: t('col.members'), value: (ingest) => Object.keys(ingest.members).length, numeric: true },
      ]}
    />
  );
}

function BlindSpotTable({ data, orgs }: { data: BlindSpots; orgs: Organisations }) {
  const t = useT('notices');
  const typeLabel = useTypeLabel();
  const { formatNumber } = useI18n();
  return (
    <>
      <p>{t('blindTotal', { rows: formatNumber(data.rows) })}</p>
      <DataTable
        rows={data.blind_spots}
        rowKey={(spot) => `${spot.reason}:${spot.key}`}
        ariaLabel={t('blindHeading')}
        className="table member-table"
        testId="notices-blind-table"
        pageSize={25}
        empty={t('blindEmpty')}
        initialSort={{ column: 'rows', direction: 'descending' }}
        rowProps={(spot) => ({ 'data-key': spot.key, 'data-reason': spot.reason })}
        columns={[
          {
            id: 'key',
            header: t('col.key'),
            value: (spot) => spot.key,
            rowHeader: true,
            cell: (spot) => <code className="ntc-code">{spot.key}</code>,
          },
          {
            id: 'reason',
            header: t('col.reason'),
            value: (spot) => t(`reason.${spot.reason}`),
            cell: (spot) => (
              <>
                <strong>{t(`reason.${spot.reason}`)}</strong>
                <div className="ntc-small">{t(`reasonHelp.${spot.reason}`)}</div>
                {spot.hint && spot.hint.length > 0 ? (
                  <div className="ntc-small" data-testid="notices-blind-hint">
                    {t('hint', { members: spot.hint.map(orgs.nameOf).join(', ') })}
                  </div>
                ) : null}
              </>
            ),
          },
          { id: 'rows', header: t('col.rows'), value: (spot) => spot.rows, format: 'number', numeric: true },
          { id: 'types', header: t('col.types'), value: (spot) => spot.report_types.map(typeLabel).join(', ') },
          { id: 'first', header: t('col.firstSeen'), value: (spot) => spot.first_seen, format: 'datetime' },
          { id: 'last', header: t('col.lastSeen'), value: (spot) => spot.last_seen, format: 'datetime' },
          {
            id: 'sample',
            header: t('col.sample'),
            sortable: false,
            cell: (spot) => (
              <ul className="ntc-sample">
                {spot.sample.map((value) => (
                  <li key={value}>
                    <code className="ntc-code">{value}</code>
                  </li>
                ))}
              </ul>
            ),
          },
        ]}
      />
    </>
  );
}

function DisputedTable({ data, orgs }: { data: BlindSpots; orgs: Organisations }) {
  const t = useT('notices');
  const typeLabel = useTypeLabel();
  return (
    <DataTable
      rows={data.disputed}
      rowKey={(notice) => notice.id}
      ariaLabel={t('disputedHeading')}
      className="table member-table"
      testId="notices-disputed-table"
      pageSize={25}
      empty={t('disputedEmpty')}
      initialSort={{ column: 'received', direction: 'descending' }}
      rowProps={(notice) => ({ 'data-id': notice.id, 'data-code': notice.organisation })}
      columns={[
        {
          id: 'member',
          header: t('col.member'),
          value: (notice) => orgs.nameOf(notice.organisation),
          rowHeader: true,
          cell: (notice) => <a href={noticeHref(notice.organisation, notice.id)}>{orgs.nameOf(notice.organisation)}</a>,
        },
        {
          id: 'type',
          header: t('col.type'),
          value: (notice) => typeLabel(notice.report_type),
          cell: (notice) => <ReportType type={notice.report_type} />,
        },
        { id: 'received', header: t('col.received'), value: (notice) => notice.received, format: 'datetime' },
        { id: 'rows', header: t('col.rows'), value: (notice) => notice.row_count, format: 'number', numeric: true },
        {
          id: 'comment',
          header: t('col.comment'),
          value: (notice) =>
            [...(notice.status_history ?? [])].reverse().find((entry) => entry.status === 'not_ours')?.comment ?? '',
        },
      ]}
    />
  );
}
