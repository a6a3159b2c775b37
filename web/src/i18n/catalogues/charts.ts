import type { Catalogue } from './types';

/** The small charts (src/ui/charts/): their labels and text alternatives. */
export const messages = {
  da: {
    // Score distribution among comparable members.
    distributionTitle: 'Sådan ligger I i forhold til sammenlignelige medlemmer',
    distributionDesc:
      'Søjler: antal medlemmer pr. 10 point. Kassen: den midterste halvdel (25 %–75 %), stregen i den: medianen. Den stiplede lodrette linje: jeres score.',
    own: '{name}: {score}',
    groupLine: '{group} · {members, plural, one {# medlem} other {# medlemmer}}',
    band: 'Point',
    membersInBand: 'Medlemmer',
    fewMembers: '1–4',
    fewMembersNote: '1–4: et interval med 1–4 medlemmer vises ikke som tal (privatlivsreglen); søjlen er tegnet som en tom ramme.',
    quartiles: '25 % / median / 75 %',
    withheld: '{group}: færre end {n} medlemmer — vises ikke.',
    summaryRow: '{group}: median {median}, midterste halvdel {p25}–{p75}',
    ownRow: 'Jeres score: {score}',
    noOwnScore: 'Jeres score er ikke beregnet endnu.',
    // Confidence decay.
    decayTitle: 'Tillid over tid uden nye observationer',
    decayDesc:
      'Kurven viser tilliden fra seneste målte observation (eller gyldig fra) til den når 0. Fuldt optrukket: hidtil; stiplet: fremover, hvis ingen sensor ser den igen.',
    decayRule: 'Beregnet i browseren efter hubbens regel: tillid = {base} × (1 − (tid / {days} dage)²).',
    today: 'I dag',
    todayValue: 'I dag: {value}',
    expiryLine: 'Udløber under {n}',
    feedLine: 'Jeres blokeringsliste: mindst {n}',
    when: 'Tidspunkt',
    value: 'Tillid',
    expires: 'Udløber',
    dropsBelowFeed: 'Falder under jeres blokeringslistes minimum',
    // Sightings over time.
    sightingsTitle: 'Observationer over tid',
    sightingsDescDay:
      'Søjler pr. dag: summen af antal i de rapporter, der senest blev set den dag. En rapport kan dække flere dage; hubben oplyser ikke fordelingen inden for den.',
    sightingsDescHour:
      'Søjler pr. time: summen af antal i de rapporter, der senest blev set i den time. En rapport kan dække flere timer; hubben oplyser ikke fordelingen inden for den.',
    sightingsHiddenReports:
      '{n, plural, one {# rapport} other {# rapporter}} må du ikke se enkeltvis; de indgår kun i totalerne ovenfor.',
    period: 'Periode',
    count: 'Antal',
    reports: 'Rapporter',
    total: 'I alt',
  },
  en: {
    distributionTitle: 'Where you stand among comparable members',
    distributionDesc:
      'Bars: members per 10 points. The box: the middle half (25 %–75 %), the line in it: the median. The dashed vertical line: your score.',
    own: '{name}: {score}',
    groupLine: '{group} · {members, plural, one {# member} other {# members}}',
    band: 'Points',
    membersInBand: 'Members',
    fewMembers: '1–4',
    fewMembersNote: '1–4: a band with 1–4 members is not shown as a number (the privacy rule); its bar is drawn as an empty frame.',
    quartiles: '25 % / median / 75 %',
    withheld: '{group}: fewer than {n} members — not shown.',
    summaryRow: '{group}: median {median}, middle half {p25}–{p75}',
    ownRow: 'Your score: {score}',
    noOwnScore: 'Your score has not been computed yet.',
    decayTitle: 'Confidence over time without new sightings',
    decayDesc:
      'The curve shows the confidence from the last measured sighting (or valid from) until it reaches 0. Solid: so far; dashed: from now on, if no sensor sees it again.',
    decayRule: "Computed in the browser by the hub's rule: confidence = {base} × (1 − (time / {days} days)²).",
    today: 'Today',
    todayValue: 'Today: {value}',
    expiryLine: 'Expires below {n}',
    feedLine: 'Your blocking list: at least {n}',
    when: 'When',
    value: 'Confidence',
    expires: 'Expires',
    dropsBelowFeed: "Drops below your blocking list's minimum",
    sightingsTitle: 'Sightings over time',
    sightingsDescDay:
      'Bars per day: the sum of the counts of the reports last seen that day. A report may cover several days; the hub does not say how it is spread within it.',
    sightingsDescHour:
      'Bars per hour: the sum of the counts of the reports last seen in that hour. A report may cover several hours; the hub does not say how it is spread within it.',
    sightingsHiddenReports:
      '{n, plural, one {# report} other {# reports}} you may not see one by one; they count only in the totals above.',
    period: 'Period',
    count: 'Count',
    reports: 'Reports',
    total: 'Total',
  },
} satisfies Catalogue<string>;
