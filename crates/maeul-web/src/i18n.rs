//! UI text catalogues: message keys in English, one catalogue per language.

use std::collections::HashMap;
use std::sync::LazyLock;

pub use maeul_core::format::Lang;

const KO: &str = include_str!("../i18n/ko.txt");
const EN: &str = include_str!("../i18n/en.txt");

fn parse(text: &'static str) -> HashMap<&'static str, &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

static CATALOGUES: LazyLock<[HashMap<&'static str, &'static str>; 2]> =
    LazyLock::new(|| [parse(KO), parse(EN)]);

/// The text of `key` in `lang`. A missing key shows itself, and a test keeps that from happening.
pub fn t(lang: Lang, key: &str) -> &'static str {
    let catalogue = &CATALOGUES[match lang {
        Lang::Ko => 0,
        Lang::En => 1,
    }];
    catalogue.get(key).copied().unwrap_or_else(|| {
        tracing::warn!(key, "missing UI text");
        "⟨missing text⟩"
    })
}

/// The text of `key` when the catalogue has one: for names that come with data (a model's
/// tags), which show as they are when untranslated.
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    CATALOGUES[match lang {
        Lang::Ko => 0,
        Lang::En => 1,
    }]
    .get(key)
    .copied()
}

/// `t` with `{name}` placeholders filled in.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = t(lang, key).to_owned();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let [ko, en] = &*CATALOGUES;
        let mut missing: Vec<_> = ko.keys().filter(|k| !en.contains_key(*k)).collect();
        missing.extend(en.keys().filter(|k| !ko.contains_key(*k)));
        assert!(
            missing.is_empty(),
            "keys in one catalogue only: {missing:?}"
        );
    }

    #[test]
    fn every_key_used_in_code_and_templates_exists() {
        let [ko, _] = &*CATALOGUES;
        let mut sources = Vec::new();
        for dir in ["src", "templates"] {
            collect(
                &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir),
                &mut sources,
            );
        }
        assert!(sources.len() > 5, "found the sources");
        let mut unknown = Vec::new();
        for text in &sources {
            // Keys appear as t("…"), tf(…, "…") or ctx.t("…"); `t(` must start a name, so
            // that calls such as `attachment("file.csv")` do not count.
            let calls = text.match_indices("t(\"").filter(|(at, _)| {
                !text[..*at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            let calls = calls.map(|(at, _)| &text[at + 3..]);
            for part in calls.chain(text.split("tf(lang, \"").skip(1)) {
                let key = part.split('"').next().unwrap_or_default();
                if key.contains('.') && !key.contains('{') && !ko.contains_key(key) {
                    unknown.push(key.to_owned());
                }
            }
        }
        assert!(
            unknown.is_empty(),
            "keys missing from the catalogues: {unknown:?}"
        );
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect(&path, out);
            } else {
                out.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(tf(Lang::Ko, "audit.total", &[("n", "3")]), "모두 3건");
        assert_eq!(tf(Lang::En, "audit.total", &[("n", "3")]), "3 in all");
    }
}
