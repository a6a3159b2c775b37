import type { Feature } from '../registry';
import { IndicatorsFeature } from './IndicatorsPage';

export const indicatorsFeature: Feature = {
  id: 'indicators',
  label: { da: 'Indikatorer', en: 'Indicators' },
  Page: IndicatorsFeature,
};
