/** The hub's baseline API (/api/v1/baseline…), typed for the dashboard. */
import { apiUrl, requestJson, type Complete, type Json, type Schemas } from '../../api';

export type MemberBaseline = Complete<Schemas['BaselineMember']>;
export type NationalPicture = Complete<Schemas['BaselineNational']>;
export type RequirementView = MemberBaseline['requirements'][number];
export type Evidence = RequirementView['evidence'][number];
export type HistoryPoint = MemberBaseline['history'][number];
export type ReqStatus = RequirementView['status'];
export type Text = RequirementView['title'];
export type RequirementChange = Omit<Schemas['BaselineRequirementChange'], 'expected_version'>;

export const STATUSES = ['met', 'partly', 'not_met', 'not_applicable', 'not_assessed'] as const satisfies readonly ReqStatus[];

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

/** Not in the document: it describes `import` as an empty object (reported). */
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
