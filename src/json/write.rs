//! Writing JSON: request bodies and the results handed back to the JS shell.

use alloc::string::String;

use super::read::Value;

/// Appends `text` as a JSON string.
pub fn string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                out.push_str("\\u00");
                let n = u32::from(c);
                for digit in [n >> 4, n & 15] {
                    out.push(char::from_digit(digit, 16).unwrap_or('0'));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends a whole number.
pub fn number(out: &mut String, n: u64) {
    if n >= 10 {
        number(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// Appends `value` again as JSON.
pub fn value(out: &mut String, value: &Value<'_>) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(n),
        Value::String(s) => string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                self::value(out, item);
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut object = Object::new(out);
            for (key, member) in members {
                object.value(key, member);
            }
            object.end();
        }
    }
}

/// An object being written member by member; [`Object::end`] closes it.
pub struct Object<'o> {
    out: &'o mut String,
    empty: bool,
}

impl<'o> Object<'o> {
    pub fn new(out: &'o mut String) -> Self {
        out.push('{');
        Self { out, empty: true }
    }

    /// Writes `"key":` and hands out the buffer for the member's value.
    pub fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        string(self.out, key);
        self.out.push(':');
        self.out
    }

    pub fn str(&mut self, key: &str, text: &str) {
        string(self.key(key), text);
    }

    /// A string member when `text` is there; nothing otherwise.
    pub fn opt_str(&mut self, key: &str, text: Option<&str>) {
        if let Some(text) = text {
            self.str(key, text);
        }
    }

    pub fn number(&mut self, key: &str, n: u64) {
        number(self.key(key), n);
    }

    pub fn bool(&mut self, key: &str, b: bool) {
        self.key(key).push_str(if b { "true" } else { "false" });
    }

    pub fn value(&mut self, key: &str, member: &Value<'_>) {
        value(self.key(key), member);
    }

    /// Every member of the object `from`, its snake_case name in camelCase (`oob_code` →
    /// `oobCode`), as the page's JavaScript names things.
    pub fn camel(&mut self, from: &Value<'_>) {
        if let Value::Object(members) = from {
            for (name, member) in members {
                let mut key = String::new();
                let mut upper = false;
                for c in name.chars() {
                    if c == '_' {
                        upper = true;
                    } else {
                        key.push(if upper { c.to_ascii_uppercase() } else { c });
                        upper = false;
                    }
                }
                self.value(&key, member);
            }
        }
    }

    pub fn end(self) {
        self.out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::super::read::parse;
    use super::*;

    #[test]
    fn writes_what_it_reads() {
        let text = r#"{"a":"q\" b\\ c\n\u0001 é","n":-1.5e3,"l":[true,null,{}],"o":{"k":[]}}"#;
        let mut out = String::new();
        value(&mut out, &parse(text).unwrap());
        assert_eq!(out, text);
    }

    #[test]
    fn objects_and_numbers() {
        let mut out = String::new();
        let mut o = Object::new(&mut out);
        o.str("code", "timeout");
        o.number("status", 0);
        o.number("big", 18_446_744_073_709_551_615);
        o.opt_str("absent", None);
        o.bool("ok", false);
        o.camel(&parse(r#"{"oob_code":"x","barcode_uri":1,"id":true}"#).unwrap());
        o.end();
        assert_eq!(
            out,
            r#"{"code":"timeout","status":0,"big":18446744073709551615,"ok":false,"oobCode":"x","barcodeUri":1,"id":true}"#
        );
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["oobCode"], "x");
    }
}
