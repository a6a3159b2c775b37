import type { Catalogue } from './types';

type Key =
  | 'title'
  | 'signIn'
  | 'tabMine'
  | 'tabReport'
  | 'tabNational'
  | 'tabCompetences'
  | 'report'
  | 'noIncidents'
  | 'colTitle'
  | 'colMember'
  | 'colAware'
  | 'colNext'
  | 'colStatus'
  | 'overdue'
  | 'status.open'
  | 'status.handled'
  | 'status.closed'
  | 'guidanceTitle'
  | 'noGuidance'
  | 'from'
  | 'formTitle'
  | 'fTitle'
  | 'fDescription'
  | 'fAware'
  | 'fStarted'
  | 'fServices'
  | 'fServicesHint'
  | 'fCitizens'
  | 'fEstimate'
  | 'fMalicious'
  | 'fCrossMember'
  | 'fCrossBorder'
  | 'fVia'
  | 'fViaHint'
  | 'fIndicators'
  | 'fIndicatorsHint'
  | 'fTlp'
  | 'danishTime'
  | 'submitIncident'
  | 'required'
  | 'inFuture'
  | 'fixFields'
  | 'clock'
  | 'stage'
  | 'due'
  | 'countdown'
  | 'state'
  | 'mustContain'
  | 'optional'
  | 'st_due'
  | 'st_overdue'
  | 'st_submitted'
  | 'st_waiting'
  | 'st_not_required'
  | 'late'
  | 'in'
  | 'ago'
  | 'submitReport'
  | 'send'
  | 'cancel'
  | 'yes'
  | 'no'
  | 'versions'
  | 'openDocument'
  | 'submitted'
  | 'facts'
  | 'aware'
  | 'started'
  | 'services'
  | 'citizens'
  | 'estimate'
  | 'malicious'
  | 'crossMember'
  | 'crossBorder'
  | 'via'
  | 'share'
  | 'shareHelp'
  | 'shareButton'
  | 'shared'
  | 'incidentVersions'
  | 'nationalTitle'
  | 'mapTitle'
  | 'timelineTitle'
  | 'campaignsTitle'
  | 'noCampaigns'
  | 'campaignCause'
  | 'supplier'
  | 'indicator'
  | 'firstLast'
  | 'guideCampaign'
  | 'postGuidance'
  | 'gTitle'
  | 'gBody'
  | 'gSeverity'
  | 'gRecipients'
  | 'gRecipientsHint'
  | 'gCampaign'
  | 'gNone'
  | 'gPosted'
  | 'allGuidance'
  | 'to'
  | 'compTitle'
  | 'compMine'
  | 'compNational'
  | 'role'
  | 'staff'
  | 'staffHint'
  | 'service'
  | 'serviceKind'
  | 'provider'
  | 'coverage'
  | 'cov_covered'
  | 'cov_partly'
  | 'cov_missing'
  | 'requiredRole'
  | 'singlePerson'
  | 'band'
  | 'band_small'
  | 'band_medium'
  | 'band_large'
  | 'score'
  | 'gaps'
  | 'noGaps'
  | 'trainings'
  | 'tTitle'
  | 'tKind'
  | 'tDate'
  | 'tk_management'
  | 'tk_role'
  | 'tk_awareness'
  | 'addTraining'
  | 'save'
  | 'saved'
  | 'mgmtCurrent'
  | 'mgmtMissing'
  | 'registers'
  | 'covered'
  | 'partly'
  | 'missing'
  | 'suggestions'
  | 'suggestionText'
  | 'noSuggestions'
  | 'singlePersons'
  | 'privacy'
  | 'remove'
  | 'none'
  | 'evidence';

export const messages: Catalogue<Key> = {
  da: {
    title: 'Hændelser',
    signIn: 'Log ind for at se og indberette hændelser',
    tabMine: 'Hændelser',
    tabReport: 'Indberet hændelse',
    tabNational: 'Nationalt overblik',
    tabCompetences: 'Kompetencer',
    report: 'Indberet en hændelse',
    noIncidents: 'Ingen hændelser.',
    colTitle: 'Hændelse',
    colMember: 'Medlem',
    colAware: 'Opdaget',
    colNext: 'Næste frist',
    colStatus: 'Status',
    overdue: 'Overskredet',
    'status.open': 'Åben',
    'status.handled': 'Håndteret',
    'status.closed': 'Lukket',
    guidanceTitle: 'Vejledning fra den nationale koordinator',
    noGuidance: 'Ingen vejledning til jer.',
    from: 'Fra',
    formTitle: 'Indberet en hændelse (NIS2 art. 23)',
    fTitle: 'Hvad er sket? (overskrift)',
    fDescription: 'Beskrivelse',
    fAware: 'Blev opdaget',
    fStarted: 'Startede (hvis kendt)',
    fServices: 'Berørte tjenester',
    fServicesHint: 'Adskil med komma',
    fCitizens: 'Berørte borgere (antal)',
    fEstimate: 'Antallet er et skøn',
    fMalicious: 'Ser ud til at være ondsindet',
    fCrossMember: 'Kan ramme andre medlemmer',
    fCrossBorder: 'Kan ramme andre lande',
    fVia: 'Mistænkt leverandør eller fælles system',
    fViaHint: 'Organisationskoder, fx KMD; adskil med komma',
    fIndicators: 'Indikatorer (STIX-mønstre)',
    fIndicatorsHint: "Ét pr. linje, fx [ipv4-addr:value = '203.0.113.45']",
    fTlp: 'TLP ved deling',
    danishTime: 'dansk tid',
    submitIncident: 'Indberet',
    required: 'Skal udfyldes',
    inFuture: 'Må ikke ligge i fremtiden',
    fixFields: 'Ret de markerede felter.',
    clock: 'NIS2-uret',
    stage: 'Rapport',
    due: 'Frist (dansk tid)',
    countdown: 'Tid tilbage',
    state: 'Status',
    mustContain: 'Skal indeholde',
    optional: 'valgfrit',
    st_due: 'Afventer',
    st_overdue: 'Overskredet',
    st_submitted: 'Indsendt',
    st_waiting: 'Frist afhænger af forløbet',
    st_not_required: 'Ikke nødvendig',
    late: 'for sent',
    in: 'om {time}',
    ago: 'overskredet – fristen var {time}',
    submitReport: 'Udfyld og indsend',
    send: 'Indsend',
    cancel: 'Annullér',
    yes: 'Ja',
    no: 'Nej',
    versions: 'Versioner',
    openDocument: 'Åbn dokument',
    submitted: 'Indsendt',
    facts: 'Hændelsen',
    aware: 'Opdaget',
    started: 'Startede',
    services: 'Berørte tjenester',
    citizens: 'Berørte borgere',
    estimate: 'skøn',
    malicious: 'Mistanke om ondsindet handling',
    crossMember: 'Kan ramme andre medlemmer',
    crossBorder: 'Grænseoverskridende',
    via: 'Mistænkt leverandør/system',
    share: 'Del indikatorer med fællesskabet',
    shareHelp: 'Indikatorerne og en rapport lægges i den nationale samling med den TLP, I vælger.',
    shareButton: 'Del',
    shared: 'Delt som {tlp}: {count, plural, one {# objekt} other {# objekter}}',
    incidentVersions: 'Versioner af hændelsen',
    nationalTitle: 'Nationalt overblik over hændelser',
    mapTitle: 'Medlemmer med åbne hændelser',
    timelineTitle: 'Tidslinje',
    campaignsTitle: 'Kampagner',
    noCampaigns: 'Ingen kampagner lige nu.',
    campaignCause: 'Fælles årsag',
    supplier: 'Leverandør/system',
    indicator: 'Indikator',
    firstLast: 'Første og seneste',
    guideCampaign: 'Send vejledning til de berørte',
    postGuidance: 'Send koordineret vejledning',
    gTitle: 'Overskrift',
    gBody: 'Vejledning',
    gSeverity: 'Alvor',
    gRecipients: 'Modtagere',
    gRecipientsHint: 'Organisationskoder, adskilt med komma',
    gCampaign: 'eller alle ramt af kampagne',
    gNone: '(ingen)',
    gPosted: 'Vejledningen er sendt til {count, plural, one {# medlem} other {# medlemmer}}.',
    allGuidance: 'Sendt vejledning',
    to: 'Til',
    compTitle: 'Kompetencer',
    compMine: 'Vores kompetenceregister',
    compNational: 'National dækning',
    role: 'Rolle (ECSF)',
    staff: 'Egne medarbejdere',
    staffHint: 'Initialer, adskilt med komma',
    service: 'Tjeneste',
    serviceKind: 'Købt eller delt',
    provider: 'Leverandør',
    coverage: 'Dækning',
    cov_covered: 'Dækket',
    cov_partly: 'Delvist (købt/delt)',
    cov_missing: 'Mangler',
    requiredRole: 'Krævet for jeres størrelse',
    singlePerson: 'Én person',
    band: 'Størrelse',
    band_small: 'lille',
    band_medium: 'mellem',
    band_large: 'stor',
    score: 'Dækning af målprofil',
    gaps: 'Mangler',
    noGaps: 'Ingen mangler i målprofilen.',
    trainings: 'Uddannelse',
    tTitle: 'Kursus',
    tKind: 'Type',
    tDate: 'Dato',
    tk_management: 'Ledelse (NIS2 art. 20)',
    tk_role: 'Rolle',
    tk_awareness: 'Awareness',
    addTraining: 'Tilføj',
    save: 'Gem',
    saved: 'Gemt (version {version}).',
    mgmtCurrent: 'Ledelsen er uddannet inden for 24 måneder',
    mgmtMissing: 'Ledelsens NIS2-uddannelse mangler eller er ældre end 24 måneder',
    registers: 'Registre',
    covered: 'Dækket',
    partly: 'Delvist',
    missing: 'Mangler',
    suggestions: 'Hvor fælleskommunal kapacitet lukker flest huller',
    suggestionText: '{role} i {region}: {count, plural, one {# medlem mangler} other {# medlemmer mangler}} rollen',
    noSuggestions: 'Ingen forslag.',
    singlePersons: 'Afhængige af én person',
    privacy: 'Kun initialer, valgfrit navn og kurser gemmes. Andre medlemmer og nationen ser kun tal, aldrig navne.',
    remove: 'Fjern',
    none: 'Ingen',
    evidence: 'Dokumentation til basisniveauet',
  },
  en: {
    title: 'Incidents',
    signIn: 'Sign in to see and report incidents',
    tabMine: 'Incidents',
    tabReport: 'Report incident',
    tabNational: 'National picture',
    tabCompetences: 'Competences',
    report: 'Report an incident',
    noIncidents: 'No incidents.',
    colTitle: 'Incident',
    colMember: 'Member',
    colAware: 'Became aware',
    colNext: 'Next deadline',
    colStatus: 'Status',
    overdue: 'Overdue',
    'status.open': 'Open',
    'status.handled': 'Handled',
    'status.closed': 'Closed',
    guidanceTitle: 'Guidance from the national coordinator',
    noGuidance: 'No guidance for you.',
    from: 'From',
    formTitle: 'Report an incident (NIS2 Art. 23)',
    fTitle: 'What happened? (headline)',
    fDescription: 'Description',
    fAware: 'Became aware',
    fStarted: 'Started (if known)',
    fServices: 'Affected services',
    fServicesHint: 'Separate with commas',
    fCitizens: 'Citizens affected (count)',
    fEstimate: 'The count is an estimate',
    fMalicious: 'Looks malicious',
    fCrossMember: 'May reach other members',
    fCrossBorder: 'May reach other countries',
    fVia: 'Suspected supplier or shared system',
    fViaHint: 'Organisation codes, e.g. KMD; separate with commas',
    fIndicators: 'Indicators (STIX patterns)',
    fIndicatorsHint: "One per line, e.g. [ipv4-addr:value = '203.0.113.45']",
    fTlp: 'TLP when shared',
    danishTime: 'Danish time',
    submitIncident: 'Report',
    required: 'Required',
    inFuture: 'Must not be in the future',
    fixFields: 'Correct the marked fields.',
    clock: 'The NIS2 clock',
    stage: 'Report',
    due: 'Due (Danish time)',
    countdown: 'Time left',
    state: 'State',
    mustContain: 'Must contain',
    optional: 'optional',
    st_due: 'Pending',
    st_overdue: 'Overdue',
    st_submitted: 'Submitted',
    st_waiting: 'Due time depends on the course',
    st_not_required: 'Not required',
    late: 'late',
    in: 'in {time}',
    ago: 'overdue – it was due {time}',
    submitReport: 'Fill in and submit',
    send: 'Submit',
    cancel: 'Cancel',
    yes: 'Yes',
    no: 'No',
    versions: 'Versions',
    openDocument: 'Open document',
    submitted: 'Submitted',
    facts: 'The incident',
    aware: 'Became aware',
    started: 'Started',
    services: 'Affected services',
    citizens: 'Citizens affected',
    estimate: 'estimate',
    malicious: 'Suspected malicious',
    crossMember: 'May reach other members',
    crossBorder: 'Cross-border',
    via: 'Suspected supplier/system',
    share: 'Share indicators with the community',
    shareHelp: 'The indicators and a report go into the national collection under the TLP you choose.',
    shareButton: 'Share',
    shared: 'Shared as {tlp}: {count, plural, one {# object} other {# objects}}',
    incidentVersions: 'Versions of the incident',
    nationalTitle: 'National picture of incidents',
    mapTitle: 'Members with open incidents',
    timelineTitle: 'Timeline',
    campaignsTitle: 'Campaigns',
    noCampaigns: 'No campaigns at the moment.',
    campaignCause: 'Shared cause',
    supplier: 'Supplier/system',
    indicator: 'Indicator',
    firstLast: 'First and latest',
    guideCampaign: 'Send guidance to those affected',
    postGuidance: 'Post coordinated guidance',
    gTitle: 'Headline',
    gBody: 'Guidance',
    gSeverity: 'Severity',
    gRecipients: 'Recipients',
    gRecipientsHint: 'Organisation codes, separated by commas',
    gCampaign: 'or everyone hit by campaign',
    gNone: '(none)',
    gPosted: 'The guidance was sent to {count, plural, one {# member} other {# members}}.',
    allGuidance: 'Guidance sent',
    to: 'To',
    compTitle: 'Competences',
    compMine: 'Our competences register',
    compNational: 'National coverage',
    role: 'Role (ECSF)',
    staff: 'Own staff',
    staffHint: 'Initials, separated by commas',
    service: 'Service',
    serviceKind: 'Contracted or shared',
    provider: 'Provider',
    coverage: 'Coverage',
    cov_covered: 'Covered',
    cov_partly: 'Partly (contracted/shared)',
    cov_missing: 'Missing',
    requiredRole: 'Required for your size',
    singlePerson: 'One person',
    band: 'Size',
    band_small: 'small',
    band_medium: 'medium',
    band_large: 'large',
    score: 'Target profile covered',
    gaps: 'Gaps',
    noGaps: 'No gaps in the target profile.',
    trainings: 'Training',
    tTitle: 'Course',
    tKind: 'Kind',
    tDate: 'Date',
    tk_management: 'Management (NIS2 Art. 20)',
    tk_role: 'Role',
    tk_awareness: 'Awareness',
    addTraining: 'Add',
    save: 'Save',
    saved: 'Saved (version {version}).',
    mgmtCurrent: 'Management trained within 24 months',
    mgmtMissing: 'Management NIS2 training missing or older than 24 months',
    registers: 'Registers',
    covered: 'Covered',
    partly: 'Partly',
    missing: 'Missing',
    suggestions: 'Where shared inter-municipal capacity closes most gaps',
    suggestionText: '{role} in {region}: {count, plural, one {# member lacks} other {# members lack}} the role',
    noSuggestions: 'No suggestions.',
    singlePersons: 'Relying on one person',
    privacy: 'Only initials, an optional name and trainings are stored. Other members and the nation see counts, never names.',
    remove: 'Remove',
    none: 'None',
    evidence: 'Evidence for the baseline',
  },
};
