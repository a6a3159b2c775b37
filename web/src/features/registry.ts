/**
 * The dashboard's feature pages beyond the overview and member list. Each
 * feature lives in its own folder (web/src/features/<id>/) and appears here
 * once: its route (#/<id>/...), its navigation label and its page.
 */
import type { ComponentType } from 'react';
import type { Lang } from '../i18n';
import { baselineFeature } from './baseline';
import { incidentsFeature } from './incidents';
import { indicatorsFeature } from './indicators';
import { riskFeature } from './risk';
import { vulnFeature } from './vuln';

export interface FeatureProps {
  /** Path segments after #/<id>/, decoded. */
  rest: string[];
  query: URLSearchParams;
}

export interface Feature {
  id: string;
  label: Record<Lang, string>;
  Page: ComponentType<FeatureProps>;
}

export const FEATURES: Feature[] = [indicatorsFeature, baselineFeature, riskFeature, vulnFeature, incidentsFeature];

export function findFeature(id: string): Feature | undefined {
  return FEATURES.find((feature) => feature.id === id);
}
