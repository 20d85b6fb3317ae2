//! The tenant's policies as plain values: how one-time codes behave and who must pass a
//! second factor. The config reads them; the code and MFA modules apply them.

/// How one-time codes behave (Auth0's defaults).
#[derive(Debug, Clone, Copy)]
pub struct CodePolicy {
    pub length: u32,
    pub lifetime_secs: u64,
    pub max_tries: u32,
}

impl Default for CodePolicy {
    fn default() -> Self {
        Self {
            length: 6,
            lifetime_secs: 180,
            max_tries: 3,
        }
    }
}

/// When a correct first factor is not enough.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaPolicy {
    /// Only users with an active factor are asked for it.
    WhenEnrolled,
    /// Users without a factor must enrol one.
    Always,
}

impl MfaPolicy {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "when-enrolled" => Some(MfaPolicy::WhenEnrolled),
            "always" => Some(MfaPolicy::Always),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MfaPolicy::WhenEnrolled => "when-enrolled",
            MfaPolicy::Always => "always",
        }
    }
}
