#!/usr/bin/env node
// Development stand-in for the Dannevirke hub: serves web/dist and answers
// the hub's REST API from a generated fixture. No dependencies beyond Node.
//
//   node tests/mock-hub.mjs [--port 18080] [--host 127.0.0.1] [--fail]
//
// --fail (or MOCK_HUB_FAIL=1) answers every API call with HTTP 500, to see
// the dashboard's error handling. The fixture's municipalities are taken from
// react-denmark-map's own data so every map shape has a member behind it.

import http from 'node:http';
import { readFileSync, existsSync, statSync, createReadStream } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';

const here = dirname(fileURLToPath(import.meta.url));
const webRoot = resolve(here, '..');
const distDir = join(webRoot, 'dist');

// ---------- command line ----------

function argValue(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const port = Number(argValue('--port', process.env.PORT ?? '18080'));
const host = argValue('--host', process.env.HOST ?? '127.0.0.1');
const failAll = process.argv.includes('--fail') || process.env.MOCK_HUB_FAIL === '1';

// ---------- fixture ----------

const REGION_NAMES = {
  1081: 'Region Nordjylland',
  1082: 'Region Midtjylland',
  1083: 'Region Syddanmark',
  1084: 'Region Hovedstaden',
  1085: 'Region Sjælland',
};

const SJAELLAND_IN_2XX = new Set([253, 259, 265, 269]);
const MIDTJYLLAND_IN_6XX = new Set([615, 657, 661, 665, 671]);
const NORDJYLLAND_IN_7XX = new Set([773, 787]);

/** Region of a municipality, by its official code (valid since the 2007 reform). */
export function regionOf(code) {
  const n = Number(code);
  if (n === 400) return '1084'; // Bornholm
  if (n < 300) return SJAELLAND_IN_2XX.has(n) ? '1085' : '1084';
  if (n < 400) return '1085';
  if (n < 700) return MIDTJYLLAND_IN_6XX.has(n) ? '1082' : '1083';
  if (n < 800) return NORDJYLLAND_IN_7XX.has(n) ? '1081' : '1082';
  return '1081';
}

// Names where the map library's display name differs from the official one.
const NAME_FIXES = { '0751': 'Aarhus', '0430': 'Faaborg-Midtfyn', '0169': 'Høje-Taastrup' };

// Approximate populations for a few members; the rest are generated.
const POPULATIONS = {
  '0101': 632340,
  '0751': 361544,
  '0851': 221082,
  '0461': 207564,
  '0147': 104481,
  '0825': 1759,
  '0563': 3555,
  '0741': 3678,
  '0492': 5964,
  '0400': 39572,
};

function hashNumber(text) {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

function uuidFor(text) {
  const h = createHash('sha256').update(`dannevirke:${text}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function loadMapMunicipalities() {
  const file = join(webRoot, 'node_modules', 'react-denmark-map', 'dist', 'esm', 'index.js');
  const source = readFileSync(file, 'utf8');
  const re = /\{id:"([^"]+)",name:"[^"]*",en_name:"[^"]*",display_name:"([^"]*)",code:"(\d+)"/g;
  const found = new Map();
  for (const m of source.matchAll(re)) {
    const [, id, displayName, code] = m;
    if (code.length > 3) continue; // region outlines carry 108x codes
    const full = code.padStart(4, '0');
    if (!found.has(full)) found.set(full, { id, code: full, name: NAME_FIXES[full] ?? displayName });
  }
  return [...found.values()];
}

function org(code, name, kind, regionCode, population, description) {
  return {
    code,
    name,
    kind,
    region_code: regionCode,
    region_name: regionCode ? REGION_NAMES[regionCode] : null,
    population,
    description,
    stix_id: `identity--${uuidFor(code)}`,
  };
}

export function buildFixture() {
  const orgs = [];
  const edges = [];
  const edge = (from, to, relation, strength, illustrative, note = null) =>
    edges.push({ from, to, relation, strength, illustrative, note });

  for (const [code, name] of Object.entries(REGION_NAMES)) {
    orgs.push(org(code, name, 'region', code, null, `${name} (udviklingsdata).`));
  }

  const states = [
    ['DIGST', 'Digitaliseringsstyrelsen'],
    ['CFCS', 'Center for Cybersikkerhed'],
    ['SDS', 'Sundhedsdatastyrelsen'],
    ['UDK', 'Udbetaling Danmark'],
  ];
  for (const [code, name] of states) orgs.push(org(code, name, 'state_body', null, null, `${name} (udviklingsdata).`));

  const systems = [
    ['NEMLOGIN', 'NemLog-in', 0.8],
    ['MITID', 'MitID', 0.7],
    ['DIGITALPOST', 'Digital Post', 0.6],
    ['SERVICEPLATFORMEN', 'Serviceplatformen', 0.7],
    ['CPR', 'CPR-registret', 0.9],
  ];
  for (const [code, name] of systems) orgs.push(org(code, name, 'shared_system', null, null, `${name} (udviklingsdata).`));

  const suppliers = [
    ['SUP-A', 'Driftsleverandør A'],
    ['SUP-B', 'Driftsleverandør B'],
    ['SUP-C', 'Fagsystemleverandør C'],
  ];
  for (const [code, name] of suppliers) orgs.push(org(code, name, 'supplier', null, null, `${name} (udviklingsdata).`));

  orgs.push(org('AUH', 'Aarhus Universitetshospital', 'health', '1082', null, 'Hospital (udviklingsdata).'));
  orgs.push(org('RH', 'Rigshospitalet', 'health', '1084', null, 'Hospital (udviklingsdata).'));
  orgs.push(org('AAV', 'Aarhus Vand', 'utility', '1082', null, 'Vandforsyning (udviklingsdata).'));
  orgs.push(org('KL', 'Kommunernes Landsforening', 'other', null, null, 'Interesseorganisation (udviklingsdata).'));

  const municipalities = loadMapMunicipalities();
  const byRegion = new Map();
  for (const m of municipalities) {
    const region = regionOf(m.code);
    const population = POPULATIONS[m.code] ?? 15000 + (hashNumber(m.code) % 90000);
    orgs.push(org(m.code, m.name, 'municipality', region, population, `${m.name} Kommune (udviklingsdata).`));
    if (!byRegion.has(region)) byRegion.set(region, []);
    byRegion.get(region).push(m.code);

    for (const [code, , strength] of systems) {
      if (code === 'CPR' && hashNumber(m.code + code) % 2 === 0) continue;
      edge(m.code, code, 'uses_system', strength, false, null);
    }
    edge(m.code, region, 'member_of_region', 1, false, null);
    const supplier = suppliers[hashNumber(m.code) % suppliers.length][0];
    edge(m.code, supplier, 'supplied_by', 0.5, true, 'Antaget driftsaftale (illustrativ).');
    if (hashNumber(`${m.code}:remote`) % 3 === 0) {
      edge(supplier, m.code, 'remote_access', 0.4, true, 'Fjernsupport (illustrativ).');
    }
  }
  // Neighbouring municipalities in a region exchange data (illustrative chain).
  for (const codes of byRegion.values()) {
    codes.sort();
    for (let i = 1; i < codes.length; i += 1) {
      edge(codes[i - 1], codes[i], 'exchanges_data_with', 0.3, true, null);
    }
  }
  edge('0751', 'AUH', 'network_link', 0.6, false, 'Fælles netværk (udviklingsdata).');
  edge('0751', 'AAV', 'shared_admin_access', 0.35, true, null);
  edge('0101', 'RH', 'network_link', 0.6, false, null);
  for (const [code] of systems) edge(code, 'DIGST', 'coordinated_by', 0.9, false, null);
  edge('NEMLOGIN', 'SUP-B', 'supplied_by', 0.8, true, null);
  edge('DIGITALPOST', 'SUP-C', 'supplied_by', 0.7, true, null);
  for (const code of Object.keys(REGION_NAMES)) edge(code, 'CFCS', 'coordinated_by', 0.5, false, null);

  orgs.sort((a, b) => a.code.localeCompare(b.code));
  return { orgs, edges };
}

const fixture = buildFixture();
const orgByCode = new Map(fixture.orgs.map((o) => [o.code, o]));

function edgeView(otherCode, e) {
  const other = orgByCode.get(otherCode);
  return {
    code: otherCode,
    name: other?.name ?? otherCode,
    kind: other?.kind ?? 'other',
    relation: e.relation,
    strength: e.strength,
    illustrative: e.illustrative,
    note: e.note,
  };
}

function detail(code) {
  const o = orgByCode.get(code);
  if (!o) return null;
  return {
    ...o,
    dependencies: fixture.edges.filter((e) => e.from === code).map((e) => edgeView(e.to, e)),
    dependents: fixture.edges.filter((e) => e.to === code).map((e) => edgeView(e.from, e)),
  };
}

const KINDS = new Set(['municipality', 'region', 'state_body', 'shared_system', 'supplier', 'health', 'utility', 'other']);

function list(params) {
  const kind = params.get('kind');
  const region = params.get('region');
  const q = (params.get('q') ?? '').toLocaleLowerCase('da');
  const limit = params.has('limit') ? Number(params.get('limit')) : 100;
  const offset = params.has('offset') ? Number(params.get('offset')) : 0;
  if (kind && !KINDS.has(kind)) return [400, { error: { kind: 'bad_request', message: `unknown kind: ${kind}` } }];
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    return [400, { error: { kind: 'bad_request', message: 'limit must be 1..1000' } }];
  }
  if (!Number.isInteger(offset) || offset < 0) return [400, { error: { kind: 'bad_request', message: 'bad offset' } }];
  const matching = fixture.orgs.filter(
    (o) =>
      (!kind || o.kind === kind) &&
      (!region || o.region_code === region) &&
      (!q || o.name.toLocaleLowerCase('da').includes(q) || o.code.toLocaleLowerCase('da').includes(q)),
  );
  return [200, { items: matching.slice(offset, offset + limit), total: matching.length, limit, offset }];
}

// ---------- HTTP ----------

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

function sendJson(res, status, body) {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data), 'Cache-Control': 'no-store' });
  res.end(data);
}

function serveStatic(res, pathname) {
  if (!existsSync(distDir)) {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('web/dist is missing: run `npm run build` first.\n');
    return;
  }
  const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  const file = normalize(join(distDir, rel));
  if (!file.startsWith(distDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
    return;
  }
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(res, 405, { error: { kind: 'method_not_allowed', message: 'GET only' } });
    return;
  }
  if (path === '/healthz') {
    sendJson(res, 200, { status: 'ok', version: '0.1.0-mock' });
    return;
  }
  if (path.startsWith('/api/')) {
    if (failAll) {
      sendJson(res, 500, { error: { kind: 'internal', message: 'mock hub started with --fail' } });
      return;
    }
    if (path === '/api/v1/organisations') {
      const [status, body] = list(url.searchParams);
      sendJson(res, status, body);
      return;
    }
    const m = /^\/api\/v1\/organisations\/([^/]+)$/.exec(path);
    if (m) {
      const code = decodeURIComponent(m[1]);
      const d = detail(code);
      if (d) sendJson(res, 200, d);
      else sendJson(res, 404, { error: { kind: 'not_found', message: `no organisation with code ${code}` } });
      return;
    }
    sendJson(res, 404, { error: { kind: 'not_found', message: `no route ${path}` } });
    return;
  }
  serveStatic(res, path);
});

server.listen(port, host, () => {
  const counts = {};
  for (const o of fixture.orgs) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  console.log(`mock hub on http://${host}:${port}/  organisations=${fixture.orgs.length} edges=${fixture.edges.length} ${JSON.stringify(counts)}${failAll ? ' (failing API)' : ''}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
