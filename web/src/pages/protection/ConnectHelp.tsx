import { apiUrl } from '../../api';
import { useT } from '../../i18n';
import { CopyField } from '../../ui/CopyField';

/** The feed's addresses for a read-only feed token (the routes /api/v1/protection/feeds/{token}/…). */
export function feedUrls(token: string) {
  const base = (rest: string, params?: Record<string, string>) =>
    apiUrl(`api/v1/protection/feeds/${encodeURIComponent(token)}/${rest}`, params);
  return {
    rpz: base('rpz'),
    rpzMonitor: base('rpz', { part: 'monitor' }),
    mapping: base('rpz/mapping'),
    paloaltoAddress: base('lists/paloalto', { kind: 'address' }),
    paloaltoDomain: base('lists/paloalto', { kind: 'domain' }),
    fortigateAddress: base('lists/fortigate', { kind: 'address' }),
    fortigateDomain: base('lists/fortigate', { kind: 'domain' }),
    mikrotik: base('lists/mikrotik'),
    nftables: base('lists/nftables'),
    ipset: base('lists/ipset'),
  };
}

/**
 * How to point a resolver or a firewall at the feed: Unbound and BIND
 * configuration, and the firewall lists' addresses; with the token filled in
 * right after one is created, else with a placeholder.
 */
export function ConnectHelp({ token, embedded }: { token?: string; embedded?: boolean }) {
  const t = useT('protection');
  const placeholder = t('placeholder');
  // The placeholder is put in after building the URL, so that it is not percent-encoded.
  const marker = 'FEEDTOKENMARKER';
  const raw = feedUrls(token ?? marker);
  const urls = Object.fromEntries(
    Object.entries(raw).map(([key, value]) => [key, token ? value : value.replace(marker, placeholder)]),
  ) as typeof raw;
  const unbound = [
    'server:',
    '  module-config: "respip validator iterator"',
    'rpz:',
    '  name: rpz.dannevirke.dk',
    `  url: ${urls.rpz}`,
    '  rpz-log: yes',
    '  rpz-log-name: dannevirke',
    'rpz:',
    '  name: monitor.dannevirke.dk',
    `  url: ${urls.rpzMonitor}`,
    '  rpz-log: yes',
    '  rpz-log-name: dannevirke-monitor',
  ].join('\n');
  const bind = [
    'response-policy {',
    '  zone "rpz.dannevirke.dk";',
    '  zone "monitor.dannevirke.dk";',
    '};',
    '// rpz.dannevirke.dk:     ' + urls.rpz,
    '// monitor.dannevirke.dk: ' + urls.rpzMonitor,
  ].join('\n');
  const lists: { label: string; url: string }[] = [
    { label: `${t('url.paloalto')} (${t('addressesList')})`, url: urls.paloaltoAddress },
    { label: `${t('url.paloalto')} (${t('domainsList')})`, url: urls.paloaltoDomain },
    { label: `${t('url.fortigate')} (${t('addressesList')})`, url: urls.fortigateAddress },
    { label: `${t('url.fortigate')} (${t('domainsList')})`, url: urls.fortigateDomain },
    { label: t('url.mikrotik'), url: urls.mikrotik },
    { label: t('url.nftables'), url: urls.nftables },
    { label: t('url.ipset'), url: urls.ipset },
    { label: t('url.mapping'), url: urls.mapping },
  ];
  const Heading = 'h3';
  const body = (
    <>
      <p>{t('connectIntro', { placeholder })}</p>
      <Heading>{t('unboundHeading')}</Heading>
      <p className="prot-help">{t('unboundHelp')}</p>
      <pre className="prot-config" tabIndex={0} aria-label={t('unboundHeading')} data-testid="connect-unbound">
        {unbound}
      </pre>
      {embedded ? null : <CopyField label={t('url.rpz')} value={urls.rpz} />}
      <Heading>{t('bindHeading')}</Heading>
      <p className="prot-help">{t('bindHelp')}</p>
      <pre className="prot-config" tabIndex={0} aria-label={t('bindHeading')}>
        {bind}
      </pre>
      <Heading>{t('firewallHeading')}</Heading>
      <p className="prot-help">{t('firewallHelp')}</p>
      <div className="table-wrap">
        <table className="table member-table" aria-label={t('firewallHeading')} data-testid="connect-lists">
          <thead>
            <tr>
              <th scope="col">{t('col.format')}</th>
              <th scope="col">{t('col.url')}</th>
            </tr>
          </thead>
          <tbody>
            {lists.map((item) => (
              <tr key={item.label}>
                <th scope="row">{item.label}</th>
                <td>
                  <code className="prot-url">{item.url}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
  if (embedded) return <div className="prot-connect">{body}</div>;
  return (
    <section className="panel prot-connect" aria-labelledby="prot-connect" data-testid="protection-connect">
      <h2 id="prot-connect">{t('connectHeading')}</h2>
      {body}
    </section>
  );
}
