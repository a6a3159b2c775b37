/** Five score bands (0–20, …, 80–100), red to blue (ColorBrewer RdBu, safe for colour-blind readers). */
export const SCORE_BANDS = [
  { from: 0, to: 20, colour: '#b2182b' },
  { from: 20, to: 40, colour: '#ef8a62' },
  { from: 40, to: 60, colour: '#fddbc7' },
  { from: 60, to: 80, colour: '#67a9cf' },
  { from: 80, to: 100, colour: '#2166ac' },
] as const;
export const NO_SCORE_COLOUR = '#c8c8c8';

export function scoreColour(score: number | null | undefined): string {
  if (score === null || score === undefined || !Number.isFinite(score)) return NO_SCORE_COLOUR;
  const band = SCORE_BANDS.find((b) => score < b.to) ?? SCORE_BANDS[SCORE_BANDS.length - 1];
  return band?.colour ?? NO_SCORE_COLOUR;
}
