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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(lang.code().parse::<Lang>().unwrap(), lang);
        }
        assert!("sv".parse::<Lang>().is_err());
    }
}
