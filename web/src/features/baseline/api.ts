/** The hub's baseline API (/api/v1/baseline…), typed for the dashboard. */
import { apiUrl, requestJson, type Json } from '../../api';

export type Text = { da: string; en: string };
export type ReqStatus = 'met' | 'partly' | 'not_met' | 'not_applicable' | 'not_assessed';
export const STATUSES: readonly ReqStatus[] = ['met', 'partly', 'not_met', 'not_applicable', 'not_assessed'];

export interface Counts {
  met: number;
  partly: number;
  not_met: number;
  not_applicable: number;
  not_assessed: number;
}

export interface Evidence {
  kind: 'declared' | 'measured';
  source: string;
  collected: string;
  valid_until: string | null;
  current: boolean;
  note: string;
  result: 'pass' | 'partial' | 'fail' | null;
  /** Measured by the hub at this moment (not stored). */
  live: boolean;
}

export interface RequirementView {
  id: string;
  discipline: string;
  title: Text;
  statement: Text;
  weight: number;
  effort: number;
  risk_reduction: number;
  facts: string[];
  status: ReqStatus;
  effective_status: ReqStatus;
  basis: 'declared' | 'measured' | 'measured_expired' | 'none';
  maturity: number | null;
  owner: string;
  due: string | null;
  note: string;
  has_measured: boolean;
  has_current_measurement: boolean;
  has_expired_evidence: boolean;
  evidence: Evidence[];
}

export interface DisciplineView {
  id: string;
  title: Text;
  score: number | null;
  assessed_share: number;
  counts: Counts;
  national_median: number | null;
  region_median: number | null;
  size_band_median: number | null;
}

export interface HistoryPoint {
  version: number;
  at: string;
  written: string;
  actor: string;
  overall: number | null;
  assessed_share: number;
}

export interface Gap {
  id: string;
  title: Text;
  status: ReqStatus;
  basis: string;
  priority: number;
  owner: string;
  due: string | null;
}

export interface MemberBaseline {
  member: { code: string; name: string; kind: string; region_code: string | null; population: number | null; size_band: string };
  version: number;
  catalogue_version: string;
  assessed_at: string | null;
  assessor: string;
  synthetic: boolean;
  updated: string | null;
  updated_by: string;
  scored_at: string;
  score: {
    overall: number | null;
    assessed_share: number;
    mean_maturity: number | null;
    counts: Counts;
    basis: { measured: number; declared: number };
  };
  disciplines: DisciplineView[];
  nis2: { letter: string; summary: string; coverage: number | null; requirements: number; met: number }[];
  requirements: RequirementView[];
  gaps: Gap[];
  history: HistoryPoint[];
  comparison: {
    own: number | null;
    national_median: number | null;
    region_median: number | null;
    size_band_median: number | null;
    region_code: string;
    size_band: string;
    min_group_size: number;
  };
  facts: { sensors: number; sightings_published: number; last_sighting: string | null; measured_requirements: string[] };
}

export interface Distribution {
  mean: number;
  p25: number;
  median: number;
  p75: number;
  min?: number;
  max?: number;
  histogram: (number | null)[];
}

export interface Group {
  dimension: 'national' | 'region' | 'size_band' | 'kind';
  key: string;
  name: string | null;
  members: number;
  suppressed: boolean;
  overall: Distribution | null;
  discipline_mean: (number | null)[];
  discipline_median: (number | null)[];
}

export interface MemberRow {
  code: string;
  name: string;
  region_code: string;
  overall: number | null;
  assessed_share: number;
  disciplines: (number | null)[];
  score: number | null;
}

export interface NationalPicture {
  at: string;
  audience: 'coordinator' | 'member';
  organisation: string;
  members: number;
  discipline: string | null;
  disciplines: { id: string; title: Text }[];
  groups: Group[];
  most_unmet: { id: string; discipline: string; title: Text; not_met: number | null; partly: number | null; share_not_met: number }[];
  weakest: MemberRow[];
  rows: MemberRow[];
  privacy: { min_group_size: number; rule: string };
}

function asMember(body: Json): MemberBaseline {
  const view = body as unknown as MemberBaseline;
  if (!view || typeof view.version !== 'number' || !Array.isArray(view.requirements) || !view.member) {
    throw new Error('invalid baseline');
  }
  return view;
}

function asNational(body: Json): NationalPicture {
  const picture = body as unknown as NationalPicture;
  if (!picture || !Array.isArray(picture.groups) || !Array.isArray(picture.rows)) throw new Error('invalid picture');
  return picture;
}

export function getMemberBaseline(code: string, signal?: AbortSignal): Promise<MemberBaseline> {
  return requestJson('GET', apiUrl(`api/v1/baseline/members/${encodeURIComponent(code)}`), asMember, { signal });
}

export function getNational(discipline: string | null, signal?: AbortSignal): Promise<NationalPicture> {
  return requestJson('GET', apiUrl('api/v1/baseline/national', { discipline: discipline ?? undefined }), asNational, {
    signal,
  });
}

export interface RequirementChange {
  status?: ReqStatus;
  maturity?: number | null;
  owner?: string | null;
  due?: string | null;
}

export function putRequirement(
  code: string,
  requirement: string,
  change: RequirementChange,
  expectedVersion: number,
): Promise<MemberBaseline> {
  return requestJson(
    'PUT',
    apiUrl(`api/v1/baseline/members/${encodeURIComponent(code)}/requirements/${encodeURIComponent(requirement)}`),
    asMember,
    { body: { ...change, expected_version: expectedVersion } },
  );
}

export interface XccdfSummary {
  rule_results: number;
  mapped: number;
  unmapped: number;
  ignored: number;
  requirements: { id: string; result: string }[];
}

/** Posts OpenSCAP XCCDF results as dated, measured evidence (added to the newest version). */
export function importXccdf(code: string, xml: string): Promise<MemberBaseline & { import: XccdfSummary }> {
  return requestJson(
    'POST',
    apiUrl(`api/v1/baseline/members/${encodeURIComponent(code)}/xccdf`),
    (body) => asMember(body) as MemberBaseline & { import: XccdfSummary },
    { rawBody: { text: xml, contentType: 'application/xml' } },
  );
}

export function reportUrl(code: string): string {
  return apiUrl(`api/v1/baseline/members/${encodeURIComponent(code)}/report`);
}
