//! The few JSON shapes request bodies need, built in Rust and encoded by the browser's `JSON`.

/// A request body value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    Str(String),
    List(Vec<String>),
    Object(Vec<(&'static str, Json)>),
}

impl Json {
    /// The string at `key` of an object, if any (tests and checks).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl From<&str> for Json {
    fn from(text: &str) -> Self {
        Json::Str(text.to_owned())
    }
}

impl From<String> for Json {
    fn from(text: String) -> Self {
        Json::Str(text)
    }
}
