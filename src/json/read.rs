//! Reading the JSON documents the SDK is handed: the page's arguments (serialised by the
//! browser's `JSON.stringify`) and the server's answers.
//!
//! Why not the browser's `JSON` here: handing parsed objects to wasm means either
//! wasm-bindgen's object-reference glue or marshalling code in the JS shell, and both cost
//! more bytes than this reader. Numbers are kept as written and read as whole numbers only
//! where the SDK needs one, so no float parser is linked.

use alloc::string::String;
use alloc::vec::Vec;

/// Deeper documents are refused: nothing the SDK reads nests more than a few levels.
const MAX_DEPTH: u8 = 32;

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// A number as written, e.g. `"1700000000"` or `"-1.5e3"`.
    Number(&'a str),
    String(String),
    Array(Vec<Value<'a>>),
    /// Members in document order; the first of duplicate keys wins in [`Value::get`].
    Object(Vec<(String, Value<'a>)>),
}

pub static NULL: Value<'static> = Value::Null;

impl<'a> Value<'a> {
    /// The member `key` of an object; `Null` when absent or when this is not an object.
    pub fn get(&self, key: &str) -> &Value<'a> {
        match self {
            Value::Object(members) => members
                .iter()
                .find(|(k, _)| k == key)
                .map_or(&NULL, |(_, v)| v),
            _ => &NULL,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A non-empty string, trimmed of ASCII white space.
    pub fn text(&self) -> Option<&str> {
        self.as_str().map(str::trim_ascii).filter(|s| !s.is_empty())
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// A whole number written without sign, fraction or exponent (at most 15 digits).
    pub fn as_whole(&self) -> Option<u64> {
        match self {
            Value::Number(n) => whole(n.as_bytes()),
            _ => None,
        }
    }

    /// A non-negative number's whole part (`exp` and `iat` may have fractional seconds).
    pub fn as_seconds(&self) -> Option<u64> {
        match self {
            Value::Number(n) => whole(
                n.as_bytes()
                    .split(|b| *b == b'.')
                    .next()
                    .unwrap_or_default(),
            ),
            _ => None,
        }
    }
}

/// Digits only, at most 15 of them (so the value is exact in a JS number too).
pub fn whole(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || digits.len() > 15 {
        return None;
    }
    digits.iter().try_fold(0u64, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0'))
    })
}

/// Parses a whole document; `None` for anything that is not exactly one JSON value.
pub fn parse(text: &str) -> Option<Value<'_>> {
    let mut parser = Parser { text, at: 0 };
    let value = parser.value(0)?;
    parser.space();
    (parser.at == text.len()).then_some(value)
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Skips white space, then `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        self.space();
        let found = self.peek() == Some(byte);
        if found {
            self.at += 1;
        }
        found
    }

    fn word(&mut self, word: &str, value: Value<'a>) -> Option<Value<'a>> {
        let rest = self.text.get(self.at..)?;
        rest.starts_with(word).then(|| {
            self.at += word.len();
            value
        })
    }

    fn value(&mut self, depth: u8) -> Option<Value<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.space();
        match self.peek()? {
            b'{' => {
                self.at += 1;
                let mut members = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        if !self.eat(b'"') {
                            return None;
                        }
                        let key = self.string()?;
                        if !self.eat(b':') {
                            return None;
                        }
                        members.push((key, self.value(depth + 1)?));
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Some(Value::Object(members))
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Some(Value::Array(items))
            }
            b'"' => {
                self.at += 1;
                self.string().map(Value::String)
            }
            b't' => self.word("true", Value::Bool(true)),
            b'f' => self.word("false", Value::Bool(false)),
            b'n' => self.word("null", Value::Null),
            _ => self.number(),
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as written.
    fn number(&mut self) -> Option<Value<'a>> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let first = self.peek()?;
        let int = self.digits();
        if int == 0 || (first == b'0' && int > 1) {
            return None;
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        self.text.get(start..self.at).map(Value::Number)
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        self.at - start
    }

    /// The rest of a string whose opening quote was read.
    fn string(&mut self) -> Option<String> {
        let mut out = String::new();
        loop {
            let run = self.at;
            while self
                .peek()
                .is_some_and(|b| b != b'"' && b != b'\\' && b >= 0x20)
            {
                self.at += 1;
            }
            // Stops only on ASCII bytes, so the run ends on a character boundary.
            out.push_str(self.text.get(run..self.at)?);
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.at += 1;
                    let escaped = self.peek()?;
                    self.at += 1;
                    out.push(match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    });
                }
                // A raw control character.
                _ => return None,
            }
        }
    }

    /// The character of `\uXXXX` (and of a following low surrogate's escape); a lone
    /// surrogate becomes U+FFFD, as it cannot be held in a Rust string.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if !(0xD800..0xDC00).contains(&high) {
            return Some(char::from_u32(high).unwrap_or('\u{FFFD}'));
        }
        let rest = self.text.get(self.at..)?;
        if rest.starts_with("\\u") {
            let mark = self.at;
            self.at += 2;
            let low = self.hex4()?;
            if (0xDC00..0xE000).contains(&low) {
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                return char::from_u32(code);
            }
            self.at = mark;
        }
        Some('\u{FFFD}')
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = char::from(self.peek()?).to_digit(16)?;
            value = value * 16 + digit;
            self.at += 1;
        }
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn reads_the_shapes_the_sdk_is_handed() {
        let v = parse(
            r#" {"a": "x\"\\\/\n\u00e9\ud83d\ude00", "n": 1700000000, "f": -1.5e3,
            "l": [true, false, null, {}], "o": {"k": []}} "#,
        )
        .unwrap();
        assert_eq!(v.get("a").as_str(), Some("x\"\\/\né😀"));
        assert_eq!(v.get("n").as_whole(), Some(1_700_000_000));
        assert_eq!(v.get("f"), &Value::Number("-1.5e3"));
        assert_eq!(v.get("f").as_whole(), None);
        assert_eq!(
            v.get("l"),
            &Value::Array(vec![
                Value::Bool(true),
                Value::Bool(false),
                Value::Null,
                Value::Object(vec![])
            ])
        );
        assert!(v.get("missing").is_null());
        assert!(v.get("a").get("inner").is_null());
    }

    #[test]
    fn seconds_keep_the_whole_part_only_of_plain_numbers() {
        let v = parse(r#"[1700000000.75, 12, -3, 1e9, "5"]"#).unwrap();
        let Value::Array(items) = v else {
            panic!("array")
        };
        let seconds: Vec<_> = items.iter().map(Value::as_seconds).collect();
        assert_eq!(seconds, [Some(1_700_000_000), Some(12), None, None, None]);
    }

    #[test]
    fn lone_surrogates_become_the_replacement_character() {
        let v = parse(r#"["\ud83d", "\ud83dx", "\ude00"]"#).unwrap();
        assert_eq!(
            v,
            Value::Array(vec![
                Value::String("\u{FFFD}".into()),
                Value::String("\u{FFFD}x".into()),
                Value::String("\u{FFFD}".into()),
            ])
        );
    }

    #[test]
    fn refuses_what_is_not_json() {
        for bad in [
            "",
            " ",
            "{",
            "}",
            "[1,]",
            "{\"a\":1,}",
            "{a:1}",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "tru",
            "\"\\x\"",
            "\"a\nb\"",
            "\"\\u12\"",
            "[1] [2]",
            "nul",
            "\"open",
            "{\"a\" 1}",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        let deep = "[".repeat(40) + &"]".repeat(40);
        assert_eq!(parse(&deep), None, "nesting is bounded");
    }

    #[test]
    fn agrees_with_serde_json_on_valid_documents() {
        let documents = [
            r#"{"access_token":"eyJ.a.b","id_token":"h.p.s","scope":"openid profile","expires_in":86400,"token_type":"Bearer"}"#,
            r#"{"error":"mfa_required","error_description":"Multifactor authentication required","mfa_token":"Fe26.2**","mfa_requirements":{"challenge":[{"type":"otp"},{"type":"oob"}]}}"#,
            r#"[{"id":"totp|dev_1","authenticator_type":"otp","active":true},{"id":"recovery-code|dev_2","authenticator_type":"recovery-code","active":true}]"#,
            r#"{"keys":[{"kty":"RSA","kid":"k1","n":"0vx7agoebGcQSuuPiLJXZptN","e":"AQAB","alg":"RS256","use":"sig"}]}"#,
            r#"{"s":"tab\tand \u0000 nul, emoji \ud83c\udf89, quote \" slash \/"}"#,
        ];
        for document in documents {
            let ours = parse(document).expect(document);
            let theirs: serde_json::Value = serde_json::from_str(document).unwrap();
            assert_eq!(to_serde(&ours), theirs, "{document}");
        }
    }

    fn to_serde(value: &Value<'_>) -> serde_json::Value {
        match value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Number(n) => serde_json::from_str(n).unwrap(),
            Value::String(s) => s.as_str().into(),
            Value::Array(items) => items.iter().map(to_serde).collect(),
            Value::Object(members) => members
                .iter()
                .map(|(k, v)| (k.clone(), to_serde(v)))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
}
