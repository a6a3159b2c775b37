import type { Catalogue } from './types';

type Key =
  | 'emptyReason.no_inventory'
  | 'emptyReason.no_inventory.national'
  | 'emptyReason.no_matching_assets'
  | 'emptyReason.no_affected_version'
  | 'emptyReason.no_affected_version.query'
  | 'emptyReason.all_decided'
  | 'emptyReason.status_filter'
  | 'emptyInventory'
  | 'emptyInventory.national'
  | 'emptyToInventory'
  | 'noneExposed.no_inventory'
  | 'title'
  | 'introNational'
  | 'introMember'
  | 'signIn'
  | 'search'
  | 'searchPlaceholder'
  | 'empty'
  | 'shown'
  | 'myAssets'
  | 'feeds'
  | 'feedItem'
  | 'feedItemUndated'
  | 'feedsStaleTitle'
  | 'feedsStale'
  | 'feedStaleItem'
  | 'severity.critical'
  | 'severity.high'
  | 'severity.medium'
  | 'severity.low'
  | 'severity.none'
  | 'feedsNone'
  | 'col.cve'
  | 'col.priority'
  | 'col.epss'
  | 'col.cvss'
  | 'col.members'
  | 'col.assets'
  | 'col.due'
  | 'col.status'
  | 'col.asset'
  | 'col.why'
  | 'col.member'
  | 'col.name'
  | 'col.id'
  | 'col.version'
  | 'col.blind'
  | 'kev'
  | 'ransomware'
  | 'back'
  | 'backList'
  | 'description'
  | 'published'
  | 'kevAdded'
  | 'kevDue'
  | 'kevAction'
  | 'exposedMembers'
  | 'noneExposed'
  | 'dependents'
  | 'needsReview'
  | 'noReview'
  | 'criterion'
  | 'matched'
  | 'context'
  | 'source'
  | 'reviewReason'
  | 'decision'
  | 'status.open'
  | 'status.needs_review'
  | 'status.not_applicable'
  | 'status.fixed'
  | 'assetsTitle'
  | 'exposures'
  | 'noExposures'
  | 'inventory'
  | 'inventoryEmpty'
  | 'inventoryMeta'
  | 'blindSpots'
  | 'blindSpotsIntro'
  | 'noBlindSpots'
  | 'markNa'
  | 'markFixed'
  | 'reopen'
  | 'reason'
  | 'reasonPlaceholder'
  | 'save'
  | 'cancel'
  | 'saved'
  | 'dueBasis'
  | 'duePolicy'
  | 'import'
  | 'importHelp'
  | 'importButton'
  | 'imported'
  | 'notifications'
  | 'notice.newly exposed'
  | 'notice.newly known exploited'
  | 'duePolicyText'
  | 'blind.none'
  | 'blind.vendor'
  | 'blind.product'
  | 'blind.wildcard';

export const messages: Catalogue<Key> = {
  da: {
    'emptyReason.no_inventory':
      'Intet svar: I har ikke registreret nogen aktiver, så vi kan ikke vide, om I er eksponeret. Registrér jeres aktiver for at få et svar.',
    'emptyReason.no_inventory.national':
      'Intet svar: ingen medlemmer har registreret aktiver, så ingen eksponering kan beregnes.',
    'emptyReason.no_matching_assets':
      'Ingen registrerede aktiver matcher »{query}« (leverandør, produkt eller navn). Det betyder ikke, at I ikke har det — kun at det ikke står i aktivlisten.',
    'emptyReason.no_affected_version':
      'Ingen registrerede aktiver er berørt af en kendt sårbarhed.',
    'emptyReason.no_affected_version.query':
      '»{query}« findes i aktivlisten ({count} aktiver), men ingen kendt sårbarhed rammer de registrerede versioner.',
    'emptyReason.all_decided':
      'Alle fund er afgjort (ikke relevant eller udbedret) — intet står åbent.',
    'emptyReason.status_filter':
      'Der er fund, men ingen med den valgte status.',
    'emptyInventory':
      'Aktivlisten rummer {assets} aktiver.',
    'emptyInventory.national':
      '{members} medlemmer har registreret i alt {assets} aktiver.',
    'emptyToInventory':
      'Se og ret aktivlisten',
    'noneExposed.no_inventory':
      'Intet svar: der er ikke registreret aktiver, så ingen eksponering kan beregnes.',
    title: 'Sårbarheder',
    introNational:
      'Hvilke medlemmer er eksponeret for hvilke sårbarheder — efter prioritet: kendt udnyttet (KEV) først, så EPSS, CVSS og hvor mange der afhænger af medlemmet.',
    introMember: 'Jeres eksponeringer efter prioritet: kendt udnyttet (KEV) først, så EPSS og CVSS.',
    signIn: 'Log ind for at se sårbarheder',
    search: 'Søg (CVE, leverandør, produkt)',
    searchPlaceholder: 'fx Zyxel eller CVE-2023-28771',
    empty: 'Ingen eksponeringer.',
    shown: '{count, plural, other {#}} af {total, plural, one {# sårbarhed} other {# sårbarheder}}, højeste prioritet først',
    myAssets: 'Vores aktiver og beslutninger',
    feeds: 'Kilder',
    feedsNone: 'Ingen sårbarhedsdata indlæst endnu.',
    feedItem: '{source}: {count}, data fra {date}',
    feedItemUndated: '{source}: {count}',
    feedsStaleTitle: 'Forældede sårbarhedsdata.',
    feedsStale: 'Seneste data: {list}. Kilderne udkommer dagligt; efter {days} dage uden nye data kan nye sårbarheder og kendt udnyttede sårbarheder mangle her.',
    feedStaleItem: '{source} fra {date} ({ago})',
    'severity.critical': 'Kritisk',
    'severity.high': 'Høj',
    'severity.medium': 'Middel',
    'severity.low': 'Lav',
    'severity.none': 'Ingen',
    'col.cve': 'CVE',
    'col.priority': 'Prioritet',
    'col.epss': 'EPSS',
    'col.cvss': 'CVSS',
    'col.members': 'Medlemmer',
    'col.assets': 'Aktiver',
    'col.due': 'Frist',
    'col.status': 'Status',
    'col.asset': 'Aktiv',
    'col.why': 'Hvorfor',
    'col.member': 'Medlem',
    'col.name': 'Navn',
    'col.id': 'Id',
    'col.version': 'Version',
    'col.blind': 'Blind vinkel',
    kev: 'KEV',
    ransomware: 'ransomware',
    back: 'Tilbage',
    backList: 'Alle sårbarheder',
    description: 'Beskrivelse',
    published: 'Offentliggjort',
    kevAdded: 'Optaget i KEV',
    kevDue: 'KEV-frist',
    kevAction: 'Påkrævet handling',
    exposedMembers: 'Eksponerede medlemmer',
    noneExposed: 'Ingen medlemmer er eksponeret.',
    dependents: '{count} afhænger af medlemmet',
    needsReview: 'Skal vurderes',
    noReview: 'Intet skal vurderes manuelt.',
    criterion: 'Kriterium',
    matched: 'Matchede',
    context: 'Sammenhæng',
    source: 'Kilde',
    reviewReason: 'Hvorfor vurdering',
    decision: 'Beslutning',
    'status.open': 'Åben',
    'status.needs_review': 'Skal vurderes',
    'status.not_applicable': 'Ikke relevant',
    'status.fixed': 'Udbedret',
    assetsTitle: 'Aktiver — {name}',
    exposures: 'Eksponeringer',
    noExposures: 'Ingen eksponeringer.',
    inventory: 'Aktivliste',
    inventoryEmpty: 'Ingen aktiver registreret.',
    inventoryMeta: 'Version {version}, senest ændret {at} af {by}',
    blindSpots: 'Blinde vinkler',
    blindSpotsIntro: 'Aktiver uden et CPE-navn eller en pakke-URL, der kan matches — dem kan Dannevirke ikke advare om.',
    noBlindSpots: 'Ingen blinde vinkler.',
    markNa: 'Ikke relevant…',
    markFixed: 'Udbedret',
    reopen: 'Genåbn',
    reason: 'Begrundelse',
    reasonPlaceholder: 'fx IPsec VPN er slået fra på enheden',
    save: 'Gem',
    cancel: 'Annuller',
    saved: 'Beslutningen er gemt.',
    dueBasis: 'Frist ud fra',
    duePolicy: 'Fristpolitik',
    import: 'Importér aktiver (CSV)',
    importHelp: 'Kolonner: device,asset_id,name,cpe,purl,version. Aktiver med samme asset_id opdateres, andre bevares.',
    importButton: 'Importér',
    imported: '{count, plural, one {# aktiv} other {# aktiver}} importeret.',
    notifications: 'Advarsler fra Dannevirke',
    duePolicyText:
      'KEV-fristen, når sårbarheden er kendt udnyttet; ellers fra offentliggørelsen: kritisk 15 dage, høj 30, middel eller uden score 90, lav 180.',
    'blind.none': 'intet CPE-navn eller pakke-URL',
    'blind.vendor': 'CPE-leverandøren er ANY eller NA: det ville matche enhver leverandør',
    'blind.product': 'CPE-produktet er ANY eller NA: det ville matche ethvert produkt',
    'blind.wildcard': 'CPE-leverandør eller -produkt indeholder jokertegn',
    'notice.newly exposed': 'nyt: eksponeret',
    'notice.newly known exploited': 'nyt: kendt udnyttet (KEV)',
  },
  en: {
    'emptyReason.no_inventory':
      'No answer: you have not registered any assets, so we cannot tell whether you are exposed. Register your assets to get an answer.',
    'emptyReason.no_inventory.national':
      'No answer: no member has registered assets, so no exposure can be computed.',
    'emptyReason.no_matching_assets':
      'No registered asset matches “{query}” (vendor, product or name). That does not mean you do not have it — only that it is not in the asset list.',
    'emptyReason.no_affected_version':
      'No registered asset is affected by a known vulnerability.',
    'emptyReason.no_affected_version.query':
      '“{query}” is in the asset list ({count} assets), but no known vulnerability affects the registered versions.',
    'emptyReason.all_decided':
      'Every finding is decided (not applicable or fixed) — nothing is open.',
    'emptyReason.status_filter':
      'There are findings, but none with the chosen status.',
    'emptyInventory':
      'The asset list holds {assets} assets.',
    'emptyInventory.national':
      '{members} members have registered {assets} assets in all.',
    'emptyToInventory':
      'See and correct the asset list',
    'noneExposed.no_inventory':
      'No answer: no assets are registered, so no exposure can be computed.',
    title: 'Vulnerabilities',
    introNational:
      'Which members are exposed to which vulnerabilities — by priority: known exploited (KEV) first, then EPSS, CVSS and how many depend on the member.',
    introMember: 'Your exposures by priority: known exploited (KEV) first, then EPSS and CVSS.',
    signIn: 'Sign in to see vulnerabilities',
    search: 'Search (CVE, vendor, product)',
    searchPlaceholder: 'e.g. Zyxel or CVE-2023-28771',
    empty: 'No exposures.',
    shown: '{count, plural, other {#}} of {total, plural, one {# vulnerability} other {# vulnerabilities}}, highest priority first',
    myAssets: 'Our assets and decisions',
    feeds: 'Sources',
    feedsNone: 'No vulnerability data ingested yet.',
    feedItem: '{source}: {count}, data of {date}',
    feedItemUndated: '{source}: {count}',
    feedsStaleTitle: 'Out-of-date vulnerability data.',
    feedsStale: 'Latest data: {list}. The sources are published daily; after {days} days without new data, new and known exploited vulnerabilities may be missing here.',
    feedStaleItem: '{source} of {date} ({ago})',
    'severity.critical': 'Critical',
    'severity.high': 'High',
    'severity.medium': 'Medium',
    'severity.low': 'Low',
    'severity.none': 'None',
    'col.cve': 'CVE',
    'col.priority': 'Priority',
    'col.epss': 'EPSS',
    'col.cvss': 'CVSS',
    'col.members': 'Members',
    'col.assets': 'Assets',
    'col.due': 'Due',
    'col.status': 'Status',
    'col.asset': 'Asset',
    'col.why': 'Why',
    'col.member': 'Member',
    'col.name': 'Name',
    'col.id': 'Id',
    'col.version': 'Version',
    'col.blind': 'Blind spot',
    kev: 'KEV',
    ransomware: 'ransomware',
    back: 'Back',
    backList: 'All vulnerabilities',
    description: 'Description',
    published: 'Published',
    kevAdded: 'Added to KEV',
    kevDue: 'KEV due date',
    kevAction: 'Required action',
    exposedMembers: 'Exposed members',
    noneExposed: 'No member is exposed.',
    dependents: '{count} depend on the member',
    needsReview: 'Needs review',
    noReview: 'Nothing needs manual review.',
    criterion: 'Criterion',
    matched: 'Matched',
    context: 'Context',
    source: 'Source',
    reviewReason: 'Why review',
    decision: 'Decision',
    'status.open': 'Open',
    'status.needs_review': 'Needs review',
    'status.not_applicable': 'Not applicable',
    'status.fixed': 'Fixed',
    assetsTitle: 'Assets — {name}',
    exposures: 'Exposures',
    noExposures: 'No exposures.',
    inventory: 'Inventory',
    inventoryEmpty: 'No assets registered.',
    inventoryMeta: 'Version {version}, last changed {at} by {by}',
    blindSpots: 'Blind spots',
    blindSpotsIntro: 'Assets without a CPE name or package URL that can be matched — Dannevirke cannot warn about them.',
    noBlindSpots: 'No blind spots.',
    markNa: 'Not applicable…',
    markFixed: 'Fixed',
    reopen: 'Reopen',
    reason: 'Reason',
    reasonPlaceholder: 'e.g. IPsec VPN is disabled on the device',
    save: 'Save',
    cancel: 'Cancel',
    saved: 'The decision is saved.',
    dueBasis: 'Due date from',
    duePolicy: 'Due-date policy',
    import: 'Import assets (CSV)',
    importHelp: 'Columns: device,asset_id,name,cpe,purl,version. Assets with the same asset_id are updated, others kept.',
    importButton: 'Import',
    imported: '{count, plural, one {# asset} other {# assets}} imported.',
    notifications: 'Alerts from Dannevirke',
    duePolicyText:
      'The KEV due date when known exploited; otherwise from publication: critical 15 days, high 30, medium or unscored 90, low 180.',
    'blind.none': 'no CPE name or package URL',
    'blind.vendor': 'CPE vendor is ANY or NA: it would match every vendor',
    'blind.product': 'CPE product is ANY or NA: it would match every product',
    'blind.wildcard': 'CPE vendor or product has a wildcard',
    'notice.newly exposed': 'new: exposed',
    'notice.newly known exploited': 'new: known exploited (KEV)',
  },
};
