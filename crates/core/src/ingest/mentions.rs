//! Building entity mentions with normalized identifiers, shared by every ingest format.
//!
//! Identifier keys are `kind/type:value`, lower-cased where the thing is case-insensitive (host
//! names, UPNs, SIDs, hashes), so that mentions from different exports meet. Strong identifiers
//! follow Sentinel's entity rules (FORMATS.md): a host by FQDN or device id, an account by SID,
//! Entra object id, UPN or DOMAIN\name, a file by hash. Built-in accounts (SYSTEM, LOCAL SERVICE,
//! ...) get no strong identifier at all, so they can never link alerts.

use super::text::{lowered, trimmed};
use crate::model::{EntityKind, EntityMention, Identifier, Sym};
use std::net::IpAddr;

/// Names that identify no one: Sentinel drops them as account identifiers.
const BUILTIN_ACCOUNT_NAMES: &[&str] = &[
    "system",
    "local system",
    "localsystem",
    "local service",
    "localservice",
    "network service",
    "networkservice",
    "network",
    "anonymous",
    "anonymous logon",
    "authenticated user",
    "authenticated users",
    "administrator",
    "admin",
    "root",
    "null",
    "dwm-1",
    "umfd-0",
];

/// Well-known SIDs that name built-in principals rather than people.
fn is_builtin_sid(sid: &str) -> bool {
    let sid = sid.to_ascii_uppercase();
    matches!(
        sid.as_str(),
        "S-1-5-18" | "S-1-5-19" | "S-1-5-20" | "S-1-5-7" | "S-1-1-0"
    ) || sid.starts_with("S-1-5-90-")
        || sid.starts_with("S-1-5-96-")
}

/// A mention under construction.
pub struct MentionBuilder {
    mention: EntityMention,
}

impl MentionBuilder {
    pub fn new(kind: EntityKind) -> Self {
        MentionBuilder {
            mention: EntityMention {
                kind,
                name: String::new(),
                identifiers: Vec::new(),
                attributes: Vec::new(),
            },
        }
    }

    /// Sets the display name if none is set yet (callers pass the best name first).
    pub fn name(mut self, name: Option<&str>) -> Self {
        if self.mention.name.is_empty() {
            if let Some(n) = name.map(trimmed).filter(|n| !n.is_empty()) {
                self.mention.name = n.to_owned();
            }
        }
        self
    }

    pub fn strong(self, kind_of_id: &str, value: Option<&str>) -> Self {
        self.identifier(kind_of_id, value, true)
    }

    pub fn weak(self, kind_of_id: &str, value: Option<&str>) -> Self {
        self.identifier(kind_of_id, value, false)
    }

    fn identifier(mut self, kind_of_id: &str, value: Option<&str>, strong: bool) -> Self {
        if let Some(v) = value.map(trimmed).filter(|v| !v.is_empty()) {
            // `kind/id:value`, built without the formatting machinery (once per identifier of
            // every evidence item).
            let kind = self.mention.kind.as_str();
            let mut key = String::with_capacity(kind.len() + kind_of_id.len() + v.len() + 2);
            key.push_str(kind);
            key.push('/');
            key.push_str(kind_of_id);
            key.push(':');
            key.push_str(v);
            if !self.mention.identifiers.iter().any(|i| i.key == key) {
                self.mention.identifiers.push(Identifier { key, strong });
            }
        }
        self
    }

    pub fn attribute(mut self, label: &str, value: Option<&str>) -> Self {
        if let Some(v) = value.map(trimmed).filter(|v| !v.is_empty()) {
            self.mention.attributes.push((Sym::new(label), Sym::new(v)));
        }
        self
    }

    /// The mention, or `None` when nothing identifies it.
    pub fn build(mut self) -> Option<EntityMention> {
        if self.mention.identifiers.is_empty() {
            return None;
        }
        if self.mention.name.is_empty() {
            let first = &self.mention.identifiers[0].key;
            self.mention.name = first
                .split_once(':')
                .map_or(first.as_str(), |(_, v)| v)
                .to_owned();
        }
        Some(self.mention)
    }
}

fn lower(s: Option<&str>) -> Option<String> {
    let s = trimmed(s?);
    (!s.is_empty()).then(|| lowered(s))
}

/// What names a device.
#[derive(Default)]
pub struct DeviceFacts<'a> {
    pub mde_device_id: Option<&'a str>,
    pub aad_device_id: Option<&'a str>,
    pub dns_name: Option<&'a str>,
    pub host_name: Option<&'a str>,
    pub dns_domain: Option<&'a str>,
    pub os_platform: Option<&'a str>,
    pub os_build: Option<&'a str>,
    pub risk_score: Option<&'a str>,
    pub health_status: Option<&'a str>,
    pub rbac_group: Option<&'a str>,
}

pub fn device(f: &DeviceFacts) -> Option<EntityMention> {
    let dns = lower(f.dns_name);
    let host = lower(f.host_name).or_else(|| {
        dns.as_deref()
            .map(|d| d.split('.').next().unwrap_or(d).to_owned())
    });
    // An FQDN is strong; so is a host name with its DNS domain.
    let fqdn = match (&dns, &host, lower(f.dns_domain)) {
        (Some(d), _, _) if d.contains('.') => Some(d.clone()),
        (_, Some(h), Some(domain)) => Some(format!("{h}.{domain}")),
        _ => None,
    };
    MentionBuilder::new(EntityKind::Device)
        .name(dns.as_deref().or(host.as_deref()))
        .strong("mde", lower(f.mde_device_id).as_deref())
        .strong("aad", lower(f.aad_device_id).as_deref())
        .strong("fqdn", fqdn.as_deref())
        .weak("host", host.as_deref())
        .attribute("OS", f.os_platform)
        .attribute("OS build", f.os_build)
        .attribute("Risk", f.risk_score)
        .attribute("Health", f.health_status)
        .attribute("Device group", f.rbac_group)
        .build()
}

/// What names a user account.
#[derive(Default)]
pub struct UserFacts<'a> {
    pub account_name: Option<&'a str>,
    pub domain_name: Option<&'a str>,
    pub sid: Option<&'a str>,
    pub aad_user_id: Option<&'a str>,
    pub upn: Option<&'a str>,
    pub display_name: Option<&'a str>,
    /// The tenant the account lives in: its `DOMAIN\\name` is scoped to it.
    pub tenant_id: Option<&'a str>,
}

/// True when the account is a built-in principal that identifies no person.
pub fn is_builtin_account(f: &UserFacts) -> bool {
    let name = lower(f.account_name).unwrap_or_default();
    let domain = lower(f.domain_name).unwrap_or_default();
    is_builtin(f, &name, &domain)
}

/// [`is_builtin_account`], with the account and domain names already lowered.
fn is_builtin(f: &UserFacts, name: &str, domain: &str) -> bool {
    f.sid.is_some_and(is_builtin_sid)
        || domain == "nt authority"
        || domain == "font driver host"
        || domain == "window manager"
        || (f.upn.is_none()
            && f.aad_user_id.is_none()
            && f.sid.is_none()
            && BUILTIN_ACCOUNT_NAMES.contains(&name))
}

pub fn user(f: &UserFacts) -> Option<EntityMention> {
    let name = lower(f.account_name);
    let domain = lower(f.domain_name);
    // `CORP\admin` names one account inside one tenant: NetBIOS domain names (and host names,
    // for local accounts) repeat across customers.
    let nt_name = match (&domain, &name) {
        (Some(d), Some(n)) => Some(backslashed(d, n)),
        _ => None,
    };
    let nt_key = nt_name
        .as_deref()
        .map(|nt| scoped(nt, f.tenant_id.unwrap_or("")));
    let display = match (f.domain_name, f.account_name) {
        (Some(d), Some(n)) if !trimmed(d).is_empty() && !trimmed(n).is_empty() => {
            Some(backslashed(trimmed(d), trimmed(n)))
        }
        _ => None,
    };
    let builder = MentionBuilder::new(EntityKind::User)
        .name(f.upn)
        .name(display.as_deref())
        .name(f.account_name)
        .name(f.display_name)
        .attribute("Display name", f.display_name);
    if is_builtin(
        f,
        name.as_deref().unwrap_or_default(),
        domain.as_deref().unwrap_or_default(),
    ) {
        // Kept as one entity for context, but with no strong identifier: it never links.
        return builder
            .weak("builtin", nt_name.as_deref().or(name.as_deref()))
            .attribute("Built-in account", Some("yes"))
            .build();
    }
    builder
        .strong("sid", lower(f.sid).as_deref())
        .strong("aad", lower(f.aad_user_id).as_deref())
        .strong("upn", lower(f.upn).as_deref())
        .strong("nt", nt_key.as_deref())
        .weak("name", name.as_deref())
        .build()
}

/// `domain\name`, built without the formatting machinery (once per account of every alert).
fn backslashed(domain: &str, name: &str) -> String {
    let mut joined = String::with_capacity(domain.len() + 1 + name.len());
    joined.push_str(domain);
    joined.push('\\');
    joined.push_str(name);
    joined
}

pub fn mailbox(
    address: Option<&str>,
    upn: Option<&str>,
    display: Option<&str>,
) -> Option<EntityMention> {
    MentionBuilder::new(EntityKind::Mailbox)
        .name(address)
        .name(upn)
        .strong("address", lower(address).as_deref())
        .strong("address", lower(upn).as_deref())
        .attribute("Display name", display)
        .build()
}

/// Private, loopback and link-local addresses mean something only inside one tenant's network.
pub fn is_private_ip(ip: &IpAddr) -> bool {
    // `::ffff:10.0.0.5` is 10.0.0.5.
    if let IpAddr::V6(v6) = ip {
        if let Some(v4) = v6.to_ipv4_mapped() {
            return is_private_ip(&IpAddr::V4(v4));
        }
    }
    match ip {
        // Carrier-grade NAT (100.64/10) and 0.0.0.0 are shared, not one host: scoped like private.
        IpAddr::V4(v4) => {
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || (v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64)
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
        }
    }
}

/// What ends an identifier that means something only inside one tenant (`…|tenant=<id>`, the id
/// empty when the export does not say). The dataset fills an empty tenant from the alert's other
/// copies, or from the only tenant loaded (see `analysis`).
pub const TENANT_SCOPE: &str = "|tenant=";

/// `value` scoped to `tenant_id` (see [`TENANT_SCOPE`]).
pub fn scoped(value: &str, tenant_id: &str) -> String {
    let tenant = trimmed(tenant_id);
    let mut key = String::with_capacity(value.len() + TENANT_SCOPE.len() + tenant.len());
    key.push_str(value);
    key.push_str(TENANT_SCOPE);
    // Tenant ids are lower-case GUIDs nearly always: lowered only when they are not.
    if tenant
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        key.push_str(&tenant.to_lowercase());
    } else {
        key.push_str(tenant);
    }
    key
}

/// An IP address; private addresses are scoped by tenant so two customers' `10.0.0.5` stay apart.
pub fn ip(address: Option<&str>, tenant_id: &str, country: Option<&str>) -> Option<EntityMention> {
    let text = trimmed(address?);
    let parsed: IpAddr = text.parse().ok()?;
    let canonical = parsed.to_string();
    let key = if is_private_ip(&parsed) {
        scoped(&canonical, tenant_id)
    } else {
        canonical.clone()
    };
    MentionBuilder::new(EntityKind::Ip)
        .name(Some(&canonical))
        .strong("address", Some(&key))
        .attribute("Country", country)
        .attribute(
            "Scope",
            Some(if is_private_ip(&parsed) {
                "private"
            } else {
                "public"
            }),
        )
        .build()
}

pub fn url(url: Option<&str>) -> Option<EntityMention> {
    let url = trimmed(url?);
    // Scheme and host are case-insensitive; the path is not.
    let normalized = match url.split_once("://") {
        Some((scheme, rest)) => {
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            format!(
                "{}://{}{}",
                scheme.to_lowercase(),
                host.to_lowercase(),
                path
            )
        }
        None => url.to_owned(),
    };
    MentionBuilder::new(EntityKind::Url)
        .name(Some(url))
        .strong("url", Some(&normalized))
        .build()
}

/// What names a file.
#[derive(Default)]
pub struct FileFacts<'a> {
    pub name: Option<&'a str>,
    pub path: Option<&'a str>,
    pub sha256: Option<&'a str>,
    pub sha1: Option<&'a str>,
    pub md5: Option<&'a str>,
    pub size: Option<&'a str>,
    pub signer: Option<&'a str>,
    pub publisher: Option<&'a str>,
}

pub fn file(f: &FileFacts) -> Option<EntityMention> {
    let has_hash = f.sha256.is_some() || f.sha1.is_some() || f.md5.is_some();
    let full_path = match (f.path, f.name) {
        (Some(p), Some(n)) => Some(join_path(p, n)),
        _ => None,
    };
    let builder = MentionBuilder::new(EntityKind::File)
        .name(f.name)
        .strong("sha256", lower(f.sha256).as_deref())
        .strong("sha1", lower(f.sha1).as_deref())
        .strong("md5", lower(f.md5).as_deref());
    // Name + directory identifies a file only when no hash does (Sentinel's rule).
    let builder = if has_hash {
        builder.weak("path", lower(full_path.as_deref()).as_deref())
    } else {
        builder.strong("path", lower(full_path.as_deref()).as_deref())
    };
    builder
        .attribute("Path", full_path.as_deref())
        .attribute("Size", f.size)
        .attribute("Signer", f.signer)
        .attribute("Publisher", f.publisher)
        .build()
}

fn join_path(dir: &str, name: &str) -> String {
    let dir = trimmed(dir);
    // Some exports put the full path in the folder field already: `C:\t\a.exe` + `a.exe`.
    let lower_dir = lowered(dir);
    let lower_name = lowered(trimmed(name));
    if lower_dir.ends_with(&format!("\\{lower_name}"))
        || lower_dir.ends_with(&format!("/{lower_name}"))
    {
        return dir.to_owned();
    }
    let sep = if dir.contains('/') && !dir.contains('\\') {
        '/'
    } else {
        '\\'
    };
    format!(
        "{}{}{}",
        dir.trim_end_matches(['\\', '/']),
        sep,
        trimmed(name)
    )
}

/// What names a running process.
#[derive(Default)]
pub struct ProcessFacts<'a> {
    pub device_key: Option<&'a str>,
    pub process_id: Option<&'a str>,
    pub created: Option<&'a str>,
    pub image_name: Option<&'a str>,
    pub command_line: Option<&'a str>,
    pub parent_process_id: Option<&'a str>,
    pub parent_image_name: Option<&'a str>,
}

pub fn process(f: &ProcessFacts) -> Option<EntityMention> {
    // A process id is unique only on one device at one creation time (written one way, whatever
    // the export's time format).
    let created = f.created.map(|c| match super::parse_time(Some(c)) {
        Some(t) => t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        None => c.to_owned(),
    });
    let key = match (f.device_key, f.process_id, created.as_deref()) {
        (Some(d), Some(p), Some(c)) => Some(format!("{}:{}:{}", d.to_lowercase(), p, c)),
        _ => None,
    };
    let name = match (f.image_name, f.process_id) {
        (Some(n), Some(p)) => Some(format!("{n} ({p})")),
        (Some(n), None) => Some(n.to_owned()),
        _ => None,
    };
    let weak = match (f.image_name, f.command_line) {
        (Some(n), Some(c)) => Some(format!("{}|{}", n.to_lowercase(), c)),
        _ => None,
    };
    // Without its creation time a process id may have been reused: shown, never linked.
    let reusable = match (f.device_key, f.process_id, f.created) {
        (Some(d), Some(p), None) => Some(format!("{}:{}", d.to_lowercase(), p)),
        _ => None,
    };
    MentionBuilder::new(EntityKind::Process)
        .name(name.as_deref())
        .strong("pid", key.as_deref())
        .weak("pid-reusable", reusable.as_deref())
        .weak("cmd", weak.as_deref())
        .attribute("Command line", f.command_line)
        .attribute("Process id", f.process_id)
        .attribute("Created", f.created)
        .attribute("Parent process id", f.parent_process_id)
        .attribute("Parent image", f.parent_image_name)
        .build()
}

pub fn cloud_app(
    app_id: Option<&str>,
    name: Option<&str>,
    instance: Option<&str>,
) -> Option<EntityMention> {
    MentionBuilder::new(EntityKind::CloudApp)
        .name(name)
        .strong("app", lower(app_id).as_deref())
        .weak("name", lower(name).as_deref())
        .attribute("Instance", instance)
        .build()
}

pub fn registry_key(hive: Option<&str>, key: Option<&str>) -> Option<EntityMention> {
    let full = registry_path(hive, key)?;
    MentionBuilder::new(EntityKind::RegistryKey)
        .name(Some(&full))
        .strong("key", Some(&full.to_lowercase()))
        .build()
}

pub fn registry_value(
    hive: Option<&str>,
    key: Option<&str>,
    value_name: Option<&str>,
    value_data: Option<&str>,
) -> Option<EntityMention> {
    let full = format!(
        "{}\\{}",
        registry_path(hive, key)?,
        value_name.unwrap_or("(Default)")
    );
    // Where it is and what it holds: `Run\WinUpd` starting one program is not the same
    // persistence as `Run\WinUpd` starting another (many intrusions reuse a value name).
    let identity = match value_data.map(trimmed).filter(|d| !d.is_empty()) {
        Some(data) => format!("{full}={data}"),
        None => full.clone(),
    };
    MentionBuilder::new(EntityKind::RegistryValue)
        .name(Some(&full))
        .strong("value", Some(&identity.to_lowercase()))
        .attribute("Data", value_data)
        .build()
}

fn registry_path(hive: Option<&str>, key: Option<&str>) -> Option<String> {
    let key = key?.trim().trim_start_matches('\\');
    Some(
        match hive
            .map(trimmed)
            .filter(|h| !h.is_empty() && !key.to_lowercase().starts_with(&h.to_lowercase()))
        {
            Some(h) => format!("{h}\\{key}"),
            None => key.to_owned(),
        },
    )
}

pub fn domain(name: Option<&str>) -> Option<EntityMention> {
    MentionBuilder::new(EntityKind::Domain)
        .name(name)
        .strong("name", lower(name).as_deref())
        .build()
}

/// What names an e-mail message: its network message id together with the recipient.
#[derive(Default)]
pub struct MailFacts<'a> {
    pub network_message_id: Option<&'a str>,
    pub internet_message_id: Option<&'a str>,
    pub recipient: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub sender: Option<&'a str>,
    pub sender_ip: Option<&'a str>,
    pub delivery_action: Option<&'a str>,
    pub delivery_location: Option<&'a str>,
    pub received: Option<&'a str>,
}

pub fn mail_message(f: &MailFacts) -> Option<EntityMention> {
    let key = match (lower(f.network_message_id), lower(f.recipient)) {
        (Some(n), Some(r)) => Some(format!("{n}+{r}")),
        (Some(n), None) => Some(n),
        _ => None,
    };
    MentionBuilder::new(EntityKind::MailMessage)
        .name(f.subject)
        .name(f.internet_message_id)
        .strong("message", key.as_deref())
        .weak("internet-id", f.internet_message_id)
        .attribute("Sender", f.sender)
        .attribute("Recipient", f.recipient)
        .attribute("Sender IP", f.sender_ip)
        .attribute("Delivery action", f.delivery_action)
        .attribute("Delivery location", f.delivery_location)
        .attribute("Received", f.received)
        .attribute("Internet message id", f.internet_message_id)
        .build()
}

/// Anything else the export names (malware, security groups, cloud resources...).
pub fn other(type_label: &str, id: Option<&str>, name: Option<&str>) -> Option<EntityMention> {
    MentionBuilder::new(EntityKind::Other)
        .name(name)
        .name(id)
        .strong(type_label, lower(id.or(name)).as_deref())
        .attribute("Type", Some(type_label))
        .build()
}

/// Something the export names only for context (a network connection, a pod by its name): shown
/// in the incident, searchable, never a link between alerts (a weak identifier only).
pub fn context(type_label: &str, name: Option<&str>) -> Option<EntityMention> {
    MentionBuilder::new(EntityKind::Other)
        .name(name)
        .weak(type_label, lower(name).as_deref())
        .attribute("Type", Some(type_label))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(m: &EntityMention) -> Vec<(&str, bool)> {
        m.identifiers
            .iter()
            .map(|i| (i.key.as_str(), i.strong))
            .collect()
    }

    #[test]
    fn builtin_accounts_never_get_strong_identifiers() {
        for facts in [
            UserFacts {
                account_name: Some("SYSTEM"),
                domain_name: Some("NT AUTHORITY"),
                sid: Some("S-1-5-18"),
                ..Default::default()
            },
            UserFacts {
                account_name: Some("Local Service"),
                domain_name: Some("NT AUTHORITY"),
                ..Default::default()
            },
            UserFacts {
                account_name: Some("administrator"),
                ..Default::default()
            },
        ] {
            let m = user(&facts).expect("a mention");
            assert!(m.identifiers.iter().all(|i| !i.strong), "{:?}", keys(&m));
        }
        let person = user(&UserFacts {
            account_name: Some("Alice"),
            domain_name: Some("CORP"),
            sid: Some("S-1-5-21-1-2-3-1104"),
            ..Default::default()
        })
        .expect("a mention");
        assert_eq!(
            keys(&person),
            vec![
                ("user/sid:s-1-5-21-1-2-3-1104", true),
                ("user/nt:corp\\alice|tenant=", true),
                ("user/name:alice", false)
            ]
        );
        assert_eq!(person.name, "CORP\\Alice");
    }

    #[test]
    fn private_ips_are_scoped_by_tenant_and_public_ones_are_not() {
        let a = ip(Some("10.0.0.5"), "TenantA", None).expect("ip");
        let b = ip(Some("10.0.0.5"), "tenantb", None).expect("ip");
        assert_ne!(a.identifiers, b.identifiers);
        let mapped = ip(Some("::ffff:10.0.0.5"), "TenantA", None).expect("ip");
        let other = ip(Some("::ffff:10.0.0.5"), "tenantb", None).expect("ip");
        assert_ne!(
            mapped.identifiers, other.identifiers,
            "an IPv4-mapped private address is private"
        );
        let c = ip(Some("203.0.113.9"), "tenanta", None).expect("ip");
        let d = ip(Some("203.0.113.9"), "tenantb", None).expect("ip");
        assert_eq!(c.identifiers, d.identifiers);
        assert!(ip(Some("not-an-ip"), "t", None).is_none());
    }

    #[test]
    fn devices_match_case_insensitively_by_fqdn_and_keep_the_host_name_weak() {
        let m = device(&DeviceFacts {
            dns_name: Some("WS-01.Corp.Example"),
            ..Default::default()
        })
        .expect("device");
        assert_eq!(
            keys(&m),
            vec![
                ("device/fqdn:ws-01.corp.example", true),
                ("device/host:ws-01", false)
            ]
        );
    }

    #[test]
    fn a_file_path_is_strong_only_without_a_hash() {
        let hashed = file(&FileFacts {
            name: Some("a.exe"),
            path: Some("C:\\x"),
            sha1: Some("AB"),
            ..Default::default()
        })
        .expect("file");
        assert_eq!(
            keys(&hashed),
            vec![("file/sha1:ab", true), ("file/path:c:\\x\\a.exe", false)]
        );
        let bare = file(&FileFacts {
            name: Some("a.exe"),
            path: Some("C:\\x\\"),
            ..Default::default()
        })
        .expect("file");
        assert_eq!(keys(&bare), vec![("file/path:c:\\x\\a.exe", true)]);
        // File "1" in `C:\temp\v1` is not file "v1" in `C:\temp`.
        let one = file(&FileFacts {
            name: Some("1"),
            path: Some("C:\\temp\\v1"),
            ..Default::default()
        })
        .expect("file");
        let v1 = file(&FileFacts {
            name: Some("v1"),
            path: Some("C:\\temp"),
            ..Default::default()
        })
        .expect("file");
        assert_ne!(keys(&one), keys(&v1));
    }
}
