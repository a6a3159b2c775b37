/** The hub's indicator view (/api/v1/indicators…), typed for the dashboard. */
import { apiUrl, requestJson, type Complete, type GetResponse, type Json, type Schemas } from '../../api';

export type OrgRef = Complete<Schemas['OrgRef']>;
export type IndicatorSummary = Complete<Schemas['IndicatorSummary']>;

/**
 * The document's IndicatorDetail is IndicatorSummary with the `visible` lists
 * and `verdicts` only described in prose; their shape is written here.
 */
export interface IndicatorDetail extends IndicatorSummary {
  sightings: IndicatorSummary['sightings'] & {
    visible: { id: string; organisation: OrgRef | null; count: number; first_seen: string | null; last_seen: string | null; tlp: string | null }[];
  };
  false_positives: IndicatorSummary['false_positives'] & {
    visible: { id: string; organisation: OrgRef; scope: 'self' | 'all'; explanation: string; created: string }[];
    verdicts: { organisation: OrgRef; reason: string; at: string }[];
  };
}

export type IndicatorPage = Complete<GetResponse<'/api/v1/indicators'>>;

// The hub validates what it sends; the dashboard checks the shape it relies on.
function asPage(body: Json): IndicatorPage {
  const page = body as unknown as IndicatorPage;
  if (!page || !Array.isArray(page.items) || typeof page.total !== 'number') throw new Error('invalid indicator page');
  return page;
}

function asDetail(body: Json): IndicatorDetail {
  const detail = body as unknown as IndicatorDetail;
  if (!detail || typeof detail.id !== 'string' || !detail.sightings || !detail.false_positives) {
    throw new Error('invalid indicator');
  }
  return detail;
}

export function listIndicators(
  params: { q?: string; status?: string; limit?: number; offset?: number },
  signal?: AbortSignal,
): Promise<IndicatorPage> {
  return requestJson('GET', apiUrl('api/v1/indicators', params), asPage, { signal });
}

export function getIndicator(id: string, signal?: AbortSignal): Promise<IndicatorDetail> {
  return requestJson('GET', apiUrl(`api/v1/indicators/${encodeURIComponent(id)}`), asDetail, { signal });
}

export function reportFalsePositive(id: string, scope: 'self' | 'all', reason: string): Promise<unknown> {
  return requestJson('POST', apiUrl(`api/v1/indicators/${encodeURIComponent(id)}/false-positive`), (b) => b, {
    body: { scope, reason },
  });
}

export function acceptFalsePositive(id: string, reason: string): Promise<unknown> {
  return requestJson('POST', apiUrl(`api/v1/indicators/${encodeURIComponent(id)}/verdict`), (b) => b, {
    body: { reason },
  });
}
