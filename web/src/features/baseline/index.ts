import type { Feature } from '../registry';
import { BaselineFeature } from './BaselinePage';

export const baselineFeature: Feature = {
  id: 'baseline',
  label: { da: 'Basisniveau', en: 'Baseline' },
  Page: BaselineFeature,
};
