//! The languages lete knows: the vocabulary type shared by every pipeline step.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A document's language: Norwegian bokmål, Norwegian nynorsk or Danish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Norwegian bokmål.
    Nb,
    /// Norwegian nynorsk.
    Nn,
    /// Danish.
    Da,
}

impl Lang {
    /// Every language, in the order lete lists them.
    pub const ALL: [Lang; 3] = [Lang::Nb, Lang::Nn, Lang::Da];

    /// The stable code used in output, the index and `--lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::Nn => "nn",
            Lang::Da => "da",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "nb" => Ok(Lang::Nb),
            "nn" => Ok(Lang::Nn),
            "da" => Ok(Lang::Da),
            other => Err(format!("unknown language '{other}': use nb, nn or da")),
        }
    }
}

/// What `--lang` narrows a search to: one language, or `no`, Norwegian: bokmål and nynorsk
/// together (issue 19).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LangFilter {
    /// Passages in this language only.
    Only(Lang),
    /// Bokmål and nynorsk passages (`no`).
    Norwegian,
}

impl LangFilter {
    /// The languages it keeps.
    pub fn langs(self) -> Vec<Lang> {
        match self {
            LangFilter::Only(lang) => vec![lang],
            LangFilter::Norwegian => vec![Lang::Nb, Lang::Nn],
        }
    }
}

impl From<Lang> for LangFilter {
    fn from(lang: Lang) -> LangFilter {
        LangFilter::Only(lang)
    }
}

impl fmt::Display for LangFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LangFilter::Only(lang) => lang.fmt(f),
            LangFilter::Norwegian => f.write_str("no"),
        }
    }
}

impl FromStr for LangFilter {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("no") {
            return Ok(LangFilter::Norwegian);
        }
        s.parse::<Lang>().map(LangFilter::Only).map_err(|_| {
            format!(
                "unknown language '{}': use nb, nn, da, or no for bokmål and nynorsk",
                s.to_ascii_lowercase()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r19_no_is_bokmal_and_nynorsk_together() {
        assert_eq!("no".parse::<LangFilter>(), Ok(LangFilter::Norwegian));
        assert_eq!(LangFilter::Norwegian.langs(), [Lang::Nb, Lang::Nn]);
        assert_eq!("DA".parse::<LangFilter>(), Ok(LangFilter::Only(Lang::Da)));
        let err = "sv".parse::<LangFilter>().unwrap_err();
        assert!(err.contains("use nb, nn, da, or no"), "{err}");
    }

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(lang.code().parse::<Lang>().unwrap(), lang);
        }
        assert!("sv".parse::<Lang>().is_err());
    }
}
