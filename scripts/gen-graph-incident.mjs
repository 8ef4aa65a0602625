// Writes a Graph alerts (v2) export holding one large incident: N alerts that all carry one
// `incidentId` and share devices, users, files and IP addresses drawn from fixed pools, so the
// incident's graph has about N + entities nodes (2,000 alerts → about 5,000 nodes by default).
// Seeded, so the same arguments give the same file. Not data to commit: the browser benchmark
// (scripts/bench-graph.mjs) and the graph e2e test make it on the fly.
//
// Usage: node scripts/gen-graph-incident.mjs OUT.json [alerts] [devices] [users] [files] [ips]
// Open it with grouping by the export's own incidents (Settings → grouping, or the
// `alertweave.correlation-settings` localStorage entry {"settings":{},"grouping":"source_incidents"}),
// so the one incident is not split by the correlation's runaway guard.

import fs from 'node:fs';

export function graphIncident({ alerts = 2000, devices = 650, users = 500, files = 1900, ips = 1200, seed = 7 } = {}) {
  // mulberry32: a small seeded PRNG.
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Skewed picks: a few entities recur often, most seldom (as in a real spread).
  const pick = (n) => Math.floor(n * random() ** 2);
  const hex = (n, width) => n.toString(16).padStart(width, '0');
  const verdicts = ['unknown', 'suspicious', 'malicious', 'noThreatsFound'];
  const severities = ['low', 'medium', 'high', 'informational'];
  const titles = ['Suspicious PowerShell command line', 'Ransomware behavior detected', 'Credential dumping',
    'Suspicious network connection', 'Malicious file detected', 'Lateral movement using remote services'];
  const start = Date.parse('2026-09-01T00:00:00Z');
  const value = [];
  for (let i = 0; i < alerts; i++) {
    const t = new Date(start + i * 97_000);
    const iso = t.toISOString();
    const d = pick(devices);
    const evidence = [
      {
        '@odata.type': '#microsoft.graph.security.deviceEvidence',
        mdeDeviceId: hex(0xd000000 + d, 40),
        hostName: `WS-${String(d).padStart(4, '0')}`,
        deviceDnsName: `ws-${String(d).padStart(4, '0')}.corp.example`,
        verdict: verdicts[d % 4],
        roles: [],
      },
      {
        '@odata.type': '#microsoft.graph.security.fileEvidence',
        fileDetails: { sha256: hex(0xf000000 + pick(files), 64), fileName: `tool-${pick(files)}.exe`, filePath: 'C:\\Users\\Public' },
        verdict: verdicts[(i + 2) % 4],
        roles: [],
      },
      {
        '@odata.type': '#microsoft.graph.security.ipEvidence',
        ipAddress: (() => { const n = pick(ips); return `203.${(n >> 8) & 255}.${n & 255}.${7 + (n % 200)}`; })(),
        verdict: verdicts[(i + 1) % 4],
        roles: [],
      },
    ];
    if (i % 2 === 0) {
      const u = pick(users);
      evidence.push({
        '@odata.type': '#microsoft.graph.security.userEvidence',
        userAccount: {
          accountName: `user${u}`,
          domainName: 'CORP',
          userPrincipalName: `user${u}@corp.example`,
          azureAdUserId: `00000000-0000-4000-8000-${hex(u, 12)}`,
          userSid: `S-1-5-21-1000-2000-3000-${5000 + u}`,
        },
        verdict: 'suspicious',
        roles: [],
      });
    }
    value.push({
      '@odata.type': '#microsoft.graph.security.alert',
      id: `da${hex(i, 8)}-0000-4000-8000-000000000000`,
      providerAlertId: `da${hex(i, 8)}`,
      incidentId: '90001',
      title: titles[i % titles.length],
      description: 'Generated for the graph benchmark.',
      severity: severities[i % severities.length],
      status: 'new',
      category: 'Execution',
      serviceSource: 'microsoftDefenderForEndpoint',
      detectionSource: 'antivirus',
      tenantId: '00000000-0000-4000-8000-00000000beef',
      createdDateTime: iso,
      firstActivityDateTime: iso,
      lastActivityDateTime: iso,
      lastUpdateDateTime: iso,
      evidence,
    });
  }
  return JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2', value });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [out, ...counts] = process.argv.slice(2);
  if (!out) {
    console.error('usage: node scripts/gen-graph-incident.mjs OUT.json [alerts] [devices] [users] [files] [ips]');
    process.exit(2);
  }
  const [alerts, devices, users, files, ips] = counts.map(Number);
  const text = graphIncident({ alerts, devices, users, files, ips });
  fs.writeFileSync(out, text);
  console.error(`gen-graph-incident: wrote ${text.length} bytes to ${out}`);
}
