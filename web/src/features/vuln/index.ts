import type { Feature } from '../registry';
import { VulnFeature } from './VulnPage';

export const vulnFeature: Feature = {
  id: 'vulnerabilities',
  label: { da: 'Sårbarheder', en: 'Vulnerabilities' },
  Page: VulnFeature,
};
