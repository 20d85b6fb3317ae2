//! The text of the messages the tenant "sends", in the user's language.

/// Languages the tenant can write in; the first is the fallback.
pub const SUPPORTED: [&str; 3] = ["en", "fr", "es"];

/// The language to write in: `x-request-language` first, else the best `accept-language`
/// entry, among `enabled` (a subset of [`SUPPORTED`]); `enabled[0]` when nothing matches.
pub fn negotiate<'a>(
    request_language: Option<&str>,
    accept_language: Option<&str>,
    enabled: &'a [String],
) -> &'a str {
    let find = |tag: &str| {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        enabled.iter().find(|l| **l == primary).map(String::as_str)
    };
    if let Some(language) = request_language.and_then(find) {
        return language;
    }
    let mut ranked: Vec<(f32, &str)> = accept_language
        .unwrap_or("")
        .split(',')
        .filter_map(|entry| {
            let mut parts = entry.split(';');
            let tag = parts.next()?.trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (!tag.is_empty() && q > 0.0).then_some((q, tag))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked
        .iter()
        .find_map(|(_, tag)| find(tag))
        .or_else(|| enabled.first().map(String::as_str))
        .unwrap_or("en")
}

/// What a message says.
pub enum Content<'a> {
    /// A one-time code, and the client's code link when it has one.
    Code {
        code: &'a str,
        minutes: u64,
        link: Option<&'a str>,
    },
    Link {
        link: &'a str,
        minutes: u64,
    },
}

/// Subject and body of a message in `language`.
pub fn render(language: &str, content: &Content<'_>) -> (String, String) {
    let (subject, mut body) = render_main(language, content);
    if let Content::Code {
        link: Some(link), ..
    } = content
    {
        body.push_str("\n\n");
        body.push_str(&code_link_line(language, link));
    }
    (subject, body)
}

/// The line offering a code link, which works on a device other than the one that asked.
fn code_link_line(language: &str, link: &str) -> String {
    match language {
        "fr" => format!("Ou ouvrez ce lien sur n'importe quel appareil : {link}"),
        "es" => format!("O abre este enlace en cualquier dispositivo: {link}"),
        _ => format!("Or open this link on any device: {link}"),
    }
}

fn render_main(language: &str, content: &Content<'_>) -> (String, String) {
    match (language, content) {
        ("fr", Content::Code { code, minutes, .. }) => (
            "Votre code de connexion".into(),
            format!("Votre code de connexion est {code}. Il expire dans {minutes} minutes."),
        ),
        ("fr", Content::Link { link, minutes }) => (
            "Votre lien de connexion".into(),
            format!("Ouvrez ce lien pour vous connecter : {link} (valable {minutes} minutes)."),
        ),
        ("es", Content::Code { code, minutes, .. }) => (
            "Tu código de acceso".into(),
            format!("Tu código de acceso es {code}. Caduca en {minutes} minutos."),
        ),
        ("es", Content::Link { link, minutes }) => (
            "Tu enlace de acceso".into(),
            format!("Abre este enlace para iniciar sesión: {link} (válido {minutes} minutos)."),
        ),
        (_, Content::Code { code, minutes, .. }) => (
            "Your sign-in code".into(),
            format!("Your sign-in code is {code}. It expires in {minutes} minutes."),
        ),
        (_, Content::Link { link, minutes }) => (
            "Your sign-in link".into(),
            format!("Open this link to sign in: {link} (valid for {minutes} minutes)."),
        ),
    }
}

/// The origin-bound one-time code line (WICG "sms-one-time-codes", used by WebOTP and by
/// `autocomplete="one-time-code"`): the last line of an SMS, `@host #code`, so that only the
/// page at `origin` is offered the code. `None` when `origin` has no host (`*`).
pub fn origin_bound_line(origin: &str, code: &str) -> Option<String> {
    let url = url::Url::parse(origin).ok()?;
    let host = url.host_str()?;
    Some(format!("@{host} #{code}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<String> {
        SUPPORTED.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_request_language_header_wins() {
        assert_eq!(negotiate(Some("fr-CA"), Some("es"), &all()), "fr");
    }

    #[test]
    fn accept_language_is_ranked_by_quality() {
        assert_eq!(
            negotiate(None, Some("de;q=0.9, es;q=0.8, fr;q=0.7"), &all()),
            "es"
        );
        assert_eq!(negotiate(None, Some("fr;q=0.1, es;q=0"), &all()), "fr");
        assert_eq!(negotiate(None, Some("de, it"), &all()), "en");
        assert_eq!(negotiate(Some("xx"), None, &all()), "en");
    }

    #[test]
    fn only_enabled_languages_are_used() {
        let enabled = vec!["en".to_owned()];
        assert_eq!(negotiate(Some("fr"), None, &enabled), "en");
    }

    #[test]
    fn messages_carry_the_code() {
        let (_, body) = render(
            "fr",
            &Content::Code {
                code: "123456",
                minutes: 3,
                link: None,
            },
        );
        assert!(body.contains("123456") && body.contains("expire"));
        assert!(!body.contains("http"));
    }

    #[test]
    fn a_code_link_follows_the_code_in_every_language() {
        let link = "http://localhost:8080/#otp=123456&email=a%40b.co";
        for language in SUPPORTED {
            let (_, body) = render(
                language,
                &Content::Code {
                    code: "123456",
                    minutes: 3,
                    link: Some(link),
                },
            );
            assert!(body.contains("123456"), "{language}: {body}");
            assert!(body.ends_with(link), "{language}: {body}");
        }
    }

    #[test]
    fn an_sms_code_can_be_bound_to_the_page_that_asked_for_it() {
        assert_eq!(
            origin_bound_line("http://127.0.0.1:8080", "123456").as_deref(),
            Some("@127.0.0.1 #123456")
        );
        assert_eq!(
            origin_bound_line("https://app.example.com", "042").as_deref(),
            Some("@app.example.com #042")
        );
        assert_eq!(origin_bound_line("*", "123456"), None);
    }
}
