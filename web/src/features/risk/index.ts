import type { Feature } from '../registry';
import RiskPage from './RiskPage';

/** Weakest links: the dependency graph, contagion simulation and investment plans (#/risk). */
export const riskFeature: Feature = {
  id: 'risk',
  label: { da: 'Svageste led', en: 'Weakest links' },
  Page: RiskPage,
};
