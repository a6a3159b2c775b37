/** The hub's notices API (/api/v1/notices/…, docs/notices.md), typed from the OpenAPI document. */
import { apiUrl, requestJson, shaped, type Schemas } from '../../api';

export type Notice = Schemas['Notice'];
export type NoticeRow = Schemas['NoticeRow'];
export type NoticeStatus = Notice['status'];
export type Severity = Notice['severity'];
export type NoticesList = Schemas['NoticesList'];
export type History = Schemas['NoticesHistory'];
export type HistoryType = History['report_types'][number];
export type Ingest = Schemas['NoticesIngest'];
export type IngestProblem = Ingest['problems'][number];
export type BlindSpots = Schemas['NoticesBlindSpots'];
export type BlindSpot = BlindSpots['blind_spots'][number];
export type BlindReason = BlindSpot['reason'];

export const STATUSES = ['open', 'acknowledged', 'resolved', 'not_ours'] as const satisfies readonly NoticeStatus[];
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const satisfies readonly Severity[];
export const BLIND_REASONS = ['unregistered', 'conflict', 'reverse_dns_only'] as const satisfies readonly BlindReason[];
/** The file formats a coordinator announces (docs/reports.md); a report type follows after a colon. */
export const FORMATS = ['shadowserver', 'csv', 'json'] as const;
export type FormatFamily = (typeof FORMATS)[number];
/** A report type as the hub accepts it. */
export const REPORT_TYPE_PATTERN = /^[a-z0-9_-]{1,64}$/;

export function isStatus(value: string): value is NoticeStatus {
  return (STATUSES as readonly string[]).includes(value);
}

function memberUrl(code: string, rest = '', params?: Record<string, string | undefined>): string {
  return apiUrl(`api/v1/notices/members/${encodeURIComponent(code)}${rest}`, params);
}

export interface NoticeFilter {
  status?: NoticeStatus;
  report_type?: string;
}

export function listNotices(code: string, filter: NoticeFilter, signal?: AbortSignal): Promise<NoticesList> {
  return requestJson(
    'GET',
    memberUrl(code, '', { status: filter.status, report_type: filter.report_type }),
    shaped<NoticesList>('notices', (b) => Array.isArray(b['notices'])),
    { signal },
  );
}

const parseNotice = shaped<Notice>('notice', (b) => typeof b['id'] === 'string' && typeof b['status'] === 'string');

export function getNotice(code: string, id: string, signal?: AbortSignal): Promise<Notice> {
  return requestJson('GET', memberUrl(code, `/notices/${encodeURIComponent(id)}`), parseNotice, { signal });
}

/** The notice without its rows, as the hub answers a change of status. */
export function setNoticeStatus(code: string, id: string, status: NoticeStatus, comment: string): Promise<Notice> {
  const body: Schemas['NoticeStatusChange'] = comment ? { status, comment } : { status };
  return requestJson('POST', memberUrl(code, `/notices/${encodeURIComponent(id)}/status`), parseNotice, { body });
}

export function getHistory(code: string, signal?: AbortSignal): Promise<History> {
  return requestJson(
    'GET',
    memberUrl(code, '/history'),
    shaped<History>('notice history', (b) => Array.isArray(b['report_types'])),
    { signal },
  );
}

export interface ReportUpload {
  format: string;
  source: string;
  origin?: string;
  severity?: Severity;
  address_column?: string;
  domain_column?: string;
}

/** Ingests a report file as received: CSV as text/csv, JSON as application/json. */
export function postReport(upload: ReportUpload, text: string): Promise<Ingest> {
  const contentType = upload.format.startsWith('json') ? 'application/json' : 'text/csv';
  return requestJson(
    'POST',
    apiUrl('api/v1/notices/reports', {
      format: upload.format,
      source: upload.source,
      origin: upload.origin,
      severity: upload.severity,
      address_column: upload.address_column,
      domain_column: upload.domain_column,
    }),
    shaped<Ingest>('ingest', (b) => typeof b['id'] === 'string' && typeof b['routed'] === 'number'),
    { rawBody: { text, contentType } },
  );
}

export function listReports(signal?: AbortSignal): Promise<Ingest[]> {
  const parse = shaped<Schemas['NoticesIngestList']>('ingests', (b) => Array.isArray(b['reports']));
  return requestJson('GET', apiUrl('api/v1/notices/reports'), (body) => parse(body).reports, { signal });
}

export function getBlindSpots(signal?: AbortSignal): Promise<BlindSpots> {
  return requestJson(
    'GET',
    apiUrl('api/v1/notices/blind-spots'),
    shaped<BlindSpots>('blind spots', (b) => Array.isArray(b['blind_spots']) && Array.isArray(b['disputed'])),
    { signal },
  );
}

export function noticeHref(code: string, id?: string): string {
  return `#/notices/${encodeURIComponent(code)}${id ? `/${encodeURIComponent(id)}` : ''}`;
}
