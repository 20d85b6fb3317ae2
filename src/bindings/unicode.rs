//! The address policy's Unicode (`passwordless_wire::address::Unicode`) from the browser's own
//! facilities: `String.prototype.normalize` (NFKC), `RegExp` Unicode property escapes (general
//! categories, `Script_Extensions`) and the `URL` parser (the URL Standard's domain to ASCII).
//! The servers run the same policy on the Unicode crates; `tests/browser_addresses.rs` checks
//! that both agree on `tests/data/addresses.json`.

use std::cell::OnceCell;

use js_sys::{Array, Function, JsString, Reflect, RegExp};
use passwordless_wire::address::Unicode;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Url;

use super::browser::global;

/// The scripts (ISO 15924 codes) a single-script part may be written in, the common ones
/// first, then UTS #39's augmented sets (Han with Bopomofo, Japanese, Korean). A browser that
/// does not know a newer script skips it, and so refuses text in it as mixed.
const SCRIPTS: &str = "Latn Cyrl Grek Arab Hebr Hani Hira Kana Hang Deva Thai Armn Geor Beng \
    Taml Telu Knda Mlym Gujr Guru Orya Sinh Ethi Khmr Laoo Mymr Tibt Thaa Syrc Mong Cher Cans \
    Adlm Aghb Ahom Armi Avst Bali Bamu Bass Batk Bhks Bopo Brah Brai Bugi Buhd Cakm Cari Cham \
    Chrs Copt Cpmn Cprt Diak Dogr Dsrt Dupl Egyp Elba Elym Gara Glag Gong Gonm Goth Gran Gukh \
    Hano Hatr Hluw Hmng Hmnp Hung Ital Java Kali Kawi Khar Khoj Kits Krai Kthi Lana Lepc Limb \
    Lina Linb Lisu Lyci Lydi Mahj Maka Mand Mani Marc Medf Mend Merc Mero Modi Mroo Mtei Mult \
    Nagm Nand Narb Nbat Newa Nkoo Nshu Ogam Olck Onao Orkh Osge Osma Ougr Palm Pauc Perm Phag \
    Phli Phlp Phnx Plrd Prti Rjng Rohg Runr Samr Sarb Saur Sgnw Shaw Shrd Sidd Sind Sogd Sogo \
    Sora Soyo Sund Sunu Sylo Tagb Takr Tale Talu Tang Tavt Tfng Tglg Tirh Tnsa Todr Toto Tutg \
    Ugar Vaii Vith Wara Wcho Xpeo Xsux Yezi Yiii Zanb Hani,Bopo Hani,Hira,Kana Hani,Hang";

thread_local! {
    /// One `^[…]*$` expression per script, made on first use.
    static SINGLE_SCRIPT: OnceCell<Vec<RegExp>> = const { OnceCell::new() };
    static INVISIBLE: OnceCell<Option<RegExp>> = const { OnceCell::new() };
}

/// `new RegExp(source, "u")`, or `None` where this browser refuses it (an unknown script).
fn regexp(source: &str) -> Option<RegExp> {
    let constructor = global("RegExp").dyn_into::<Function>().ok()?;
    let args = Array::of2(&JsValue::from_str(source), &JsValue::from_str("u"));
    Reflect::construct(&constructor, &args)
        .ok()?
        .dyn_into()
        .ok()
}

fn single_script_expressions() -> Vec<RegExp> {
    SCRIPTS
        .split_ascii_whitespace()
        .filter_map(|set| {
            let mut source = String::from("^[\\p{scx=Zyyy}\\p{scx=Zinh}");
            for script in set.split(',') {
                source.push_str("\\p{scx=");
                source.push_str(script);
                source.push('}');
            }
            source.push_str("]*$");
            regexp(&source)
        })
        .collect()
}

/// The browser's Unicode.
pub struct Browser;

impl Unicode for Browser {
    fn nfkc(&self, text: &str) -> String {
        JsString::from(text).normalize("NFKC").into()
    }

    fn has_invisible(&self, text: &str) -> bool {
        INVISIBLE.with(|cell| {
            cell.get_or_init(|| regexp("[\\p{Cc}\\p{Cf}\\p{White_Space}]"))
                .as_ref()
                // Without property escapes nothing can be checked: refuse rather than pass.
                .is_none_or(|re| re.test(text))
        })
    }

    fn is_single_script(&self, text: &str) -> bool {
        SINGLE_SCRIPT.with(|cell| {
            cell.get_or_init(single_script_expressions)
                .iter()
                .any(|re| re.test(text))
        })
    }

    fn domain_to_ascii(&self, domain: &str) -> Option<String> {
        let url = String::from("http://") + domain + "/";
        Url::new(&url).ok().map(|url| url.hostname())
    }
}
