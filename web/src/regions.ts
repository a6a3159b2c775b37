/** The five Danish regions and their map colours (Okabe–Ito palette, safe for colour-blind readers). */
export interface RegionInfo {
  code: string;
  colour: string;
}

export const REGIONS: readonly RegionInfo[] = [
  { code: '1081', colour: '#E69F00' }, // Nordjylland: orange
  { code: '1082', colour: '#56B4E9' }, // Midtjylland: sky blue
  { code: '1083', colour: '#009E73' }, // Syddanmark: bluish green
  { code: '1084', colour: '#CC79A7' }, // Hovedstaden: reddish purple
  { code: '1085', colour: '#F0E442' }, // Sjælland: yellow
];

export const UNKNOWN_REGION_COLOUR = '#B8B8B8';

export function regionColour(code: string | null | undefined): string {
  return REGIONS.find((r) => r.code === code)?.colour ?? UNKNOWN_REGION_COLOUR;
}

/** react-denmark-map stores municipality codes without the leading zero ("101"); the hub uses four digits ("0101"). */
export function normaliseMunicipalityCode(code: string): string {
  return code.padStart(4, '0');
}
