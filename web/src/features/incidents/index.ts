import type { Feature } from '../registry';
import { IncidentsFeature } from './IncidentsPage';

export const incidentsFeature: Feature = {
  id: 'incidents',
  label: { da: 'Hændelser', en: 'Incidents' },
  Page: IncidentsFeature,
};
