//! What the tests of the wire types share: the member names a body serialises to, so that
//! each type is checked against the field lists of `names`.

use std::collections::BTreeSet;

use serde::Serialize;

/// The member names `value` serialises to.
pub fn keys_of(value: &impl Serialize) -> BTreeSet<String> {
    match serde_json::to_value(value).expect("serialisable") {
        serde_json::Value::Object(map) => map.keys().cloned().collect(),
        other => panic!("not an object: {other}"),
    }
}

/// `names` as a set, to compare with [`keys_of`].
pub fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}
