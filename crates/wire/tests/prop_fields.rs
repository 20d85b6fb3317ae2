//! Property tests of the request-body readers (`fields::parse_fields`, `strict_json`), the
//! parsers every untrusted body meets first. `PROPTEST_CASES` bounds the run (the suite sets it).

use passwordless_wire::fields::parse_fields;
use passwordless_wire::strict_json::StrictValue;
use proptest::prelude::*;
use serde_json::{Map, Value};

/// JSON values a few levels deep, of every type.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("\\PC{0,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn json_object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map("[a-z_]{1,8}", json_value(), 0..6)
        .prop_map(|m| m.into_iter().collect())
}

const TYPES: [Option<&str>; 6] = [
    Some("application/json"),
    Some("application/json; charset=utf-8"),
    Some("application/x-www-form-urlencoded"),
    Some("text/plain"),
    Some("multipart/form-data; boundary=x"),
    None,
];

proptest! {
    /// Any bytes under any Content-Type: an answer (never a panic), and only the two
    /// accepted media types ever give fields.
    #[test]
    fn any_body_is_read_or_refused(body in prop::collection::vec(any::<u8>(), 0..256), t in 0..TYPES.len()) {
        let content_type = TYPES[t];
        if parse_fields(content_type, &body).is_ok() {
            let accepted = content_type.is_some_and(|c| c.starts_with("application/json") || c.starts_with("application/x-www-form"));
            prop_assert!(accepted, "{content_type:?}");
        }
    }

    /// Whenever the strict reader accepts JSON, serde_json reads the same object: the relay
    /// and the tenant cannot disagree with any other JSON reader on what a body says.
    #[test]
    fn accepted_json_reads_as_serde_json_does(text in "\\PC{0,64}") {
        if let Ok(fields) = parse_fields(Some("application/json"), text.as_bytes()) {
            prop_assert_eq!(serde_json::from_str::<Value>(&text).ok(), Some(Value::Object(fields)));
        }
    }

    /// Every object serde_json writes is read back unchanged.
    #[test]
    fn written_objects_read_back(object in json_object()) {
        let text = Value::Object(object.clone()).to_string();
        prop_assert_eq!(parse_fields(Some("application/json"), text.as_bytes()), Ok(object));
    }

    /// A member named twice, at the top or nested, is always refused.
    #[test]
    fn a_member_named_twice_is_refused(object in json_object(), key in "[a-z]{1,8}", a in json_value(), b in json_value(), nested in any::<bool>()) {
        let body = Value::Object(object).to_string();
        let twice = format!("{{{}:{a},{}:{b}}}", Value::String(key.clone()), Value::String(key));
        let text = if nested {
            format!("{{\"outer\":[{twice}],\"rest\":{body}}}")
        } else {
            twice
        };
        prop_assert!(parse_fields(Some("application/json"), text.as_bytes()).is_err(), "{}", text);
        prop_assert!(serde_json::from_str::<StrictValue>(&text).is_err());
    }

    /// A form of distinct fields reads as those fields; repeating one is refused.
    #[test]
    fn forms_read_their_fields_once(pairs in prop::collection::btree_map("[a-z_]{1,8}", "\\PC{0,16}", 1..6)) {
        let form = serde_urlencoded::to_string(&pairs).unwrap();
        let fields = parse_fields(Some("application/x-www-form-urlencoded"), form.as_bytes()).unwrap();
        prop_assert_eq!(fields.len(), pairs.len());
        for (k, v) in &pairs {
            prop_assert_eq!(&fields[k], &Value::String(v.clone()));
        }
        let (k, v) = pairs.iter().next().unwrap();
        let repeated = format!("{form}&{}", serde_urlencoded::to_string([(k, v)]).unwrap());
        prop_assert!(parse_fields(Some("application/x-www-form-urlencoded"), repeated.as_bytes()).is_err());
    }
}
