//! Nynorsk and bokmål counterparts (issue 17): the spellings under which a word of one written
//! Norwegian stands in the other (`samspel`/`samspill`, `skule`/`skole`, `tidleg`/`tidlig`,
//! `kva`/`hva`). Snowball's Norwegian stemmer is made for bokmål; it already takes nynorsk's
//! inflectional endings off (`kommunane` and `kommunene` are both `kommun`, `medlemane` and
//! `medlemmene` both `medlem`), but the two standards also spell stems differently.
//!
//! Two sources, both read in either direction:
//! - the regular spelling correspondences of the two standards ([`CORRESPONDENCES`]): a
//!   nynorsk `kv-` is a bokmål `hv-`, `-leg` is `-lig`, `-heit` is `-het`, `-spel` is
//!   `-spill`, `føre-` is `for-`, `ei` is often `e` (`heile`/`hele`, `meir`/`mer`);
//! - the commonest function and inflection words that no rule gives ([`WORDS`]: `ikkje`/`ikke`,
//!   `eg`/`jeg`, `born`/`barn`, `tilsett`/`ansatt`).
//!
//! A rule may make a word no text holds: the search keeps only the counterparts whose stems
//! the index has, as it does with æ/ø/å spellings.

/// Where in a word a correspondence applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// At the start of the word.
    Start,
    /// Anywhere in it (a compound's part: `hovudføremål`).
    Inside,
    /// At the end of the word.
    End,
}

/// Regular spelling correspondences: (nynorsk, bokmål, where, both ways). Longer endings
/// come before the endings they end in, as all of a word's rules are applied in this order.
/// The vowel correspondences (`ei`/`e`, `au`/`ø`) are read from nynorsk only: read the other
/// way, every `e` of a bokmål word would be a candidate.
const CORRESPONDENCES: &[(&str, &str, Place, bool)] = &[
    ("kv", "hv", Place::Start, true),
    ("føre", "for", Place::Inside, true),
    ("føre", "fore", Place::Inside, true),
    ("hovud", "hoved", Place::Inside, true),
    ("utan", "uten", Place::Start, true),
    ("innan", "innen", Place::Start, true),
    ("fram", "frem", Place::Start, true),
    ("sjølv", "selv", Place::Inside, true),
    ("mogleg", "mulig", Place::Inside, true),
    ("verk", "virk", Place::Inside, true),
    ("skule", "skole", Place::Inside, true),
    ("spel", "spill", Place::Inside, true),
    ("teneste", "tjeneste", Place::Inside, true),
    ("sjuk", "syk", Place::Inside, true),
    ("tilbod", "tilbud", Place::Inside, true),
    ("vidare", "videre", Place::Inside, true),
    ("gåve", "gave", Place::Inside, true),
    ("vald", "valgt", Place::Inside, true),
    ("yggj", "ygg", Place::Inside, true),
    ("ungdomen", "ungdommen", Place::Inside, true),
    // Words of planning, building and preparedness that the two standards spell apart
    // (issue 15: `boligbygging` missed `bustadbygging`, `flom` missed `flaum`).
    ("bustad", "bolig", Place::Inside, true),
    ("flaum", "flom", Place::Inside, true),
    ("straum", "strøm", Place::Inside, true),
    ("haust", "høst", Place::Inside, true),
    ("vatn", "vann", Place::Inside, true),
    ("heim", "hjem", Place::Inside, true),
    ("eigedom", "eiendom", Place::Inside, true),
    ("framlegg", "forslag", Place::Inside, true),
    ("utval", "utvalg", Place::Inside, true),
    ("tilskot", "tilskudd", Place::Inside, true),
    ("høyring", "høring", Place::Inside, true),
    ("løysing", "løsning", Place::Inside, true),
    ("kyrkje", "kirke", Place::Inside, true),
    // Issue 15 (session 27): a nynorsk question with `handtere` ranked the bokmål report
    // first, with `håndtere` only as a near spelling.
    ("handter", "håndter", Place::Inside, true),
    ("hending", "hendelse", Place::Inside, true),
    ("ulukke", "ulykke", Place::Inside, true),
    // Session 27's new-user trial: `nødstrøm` missed `naudstraum` (the vowel rule `au`/`ø`
    // is read from nynorsk only), `strømbrudd` missed `straumbrot`, `klimatilpasning` missed
    // `klimatilpassing`.
    ("naud", "nød", Place::Inside, true),
    ("brot", "brudd", Place::Inside, true),
    ("tilpassing", "tilpasning", Place::Inside, true),
    ("heit", "het", Place::Inside, true),
    ("semd", "somhet", Place::Inside, true),
    ("legaste", "ligste", Place::End, true),
    ("legare", "ligere", Place::End, true),
    ("legvis", "ligvis", Place::End, true),
    ("are", "ere", Place::End, true),
    ("lege", "lige", Place::End, true),
    ("leg", "lig", Place::End, true),
    ("arane", "erne", Place::End, true),
    ("arar", "ere", Place::End, true),
    ("ar", "er", Place::End, true),
    ("ei", "e", Place::Inside, false),
    ("au", "ø", Place::Inside, false),
];

/// Common words no correspondence gives: (nynorsk, bokmål).
const WORDS: &[(&str, &str)] = &[
    ("ikkje", "ikke"),
    ("ein", "en"),
    ("eit", "et"),
    ("heile", "hele"),
    ("heilt", "helt"),
    ("meir", "mer"),
    ("fleire", "flere"),
    ("eg", "jeg"),
    ("me", "vi"),
    ("ho", "hun"),
    ("dei", "de"),
    ("deira", "deres"),
    ("desse", "disse"),
    ("mykje", "mye"),
    ("noko", "noe"),
    ("nokon", "noen"),
    ("nokre", "noen"),
    ("berre", "bare"),
    ("vere", "være"),
    ("vore", "vært"),
    ("vert", "blir"),
    ("vart", "ble"),
    ("gjere", "gjøre"),
    ("gjer", "gjør"),
    ("gje", "gi"),
    ("gjev", "gir"),
    ("frå", "fra"),
    ("òg", "også"),
    ("saman", "sammen"),
    ("difor", "derfor"),
    ("medan", "mens"),
    ("hjå", "hos"),
    ("korleis", "hvordan"),
    ("kvifor", "hvorfor"),
    ("kven", "hvem"),
    ("kvar", "hvor"),
    ("born", "barn"),
    ("borna", "barna"),
    ("heim", "hjem"),
    ("tilsett", "ansatt"),
    ("tilsette", "ansatte"),
    ("tilsettinga", "ansettelsen"),
    ("høve", "anledning"),
    ("verksemd", "virksomhet"),
    ("verksemda", "virksomheten"),
    ("fylkeskommunane", "fylkeskommunene"),
    ("naudsynt", "nødvendig"),
    ("naudsynte", "nødvendige"),
];

/// Most counterparts one word gets (its rules one at a time, and all together).
const MAX_COUNTERPARTS: usize = 8;

/// Which way a word is read.
#[derive(Clone, Copy)]
enum Direction {
    /// The word as nynorsk: its bokmål spellings.
    ToBokmaal,
    /// The word as bokmål: its nynorsk spellings.
    ToNynorsk,
}

/// The spellings of lowercase `word` in the other written Norwegian, both ways (a query's
/// standard is not known), without the word itself.
pub(crate) fn counterparts(word: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut note = |candidate: String| {
        if candidate != word && !candidate.is_empty() && !found.contains(&candidate) {
            found.push(candidate);
        }
    };
    for &(nynorsk, bokmaal) in WORDS {
        if word == nynorsk {
            note(bokmaal.to_string());
        }
        if word == bokmaal {
            note(nynorsk.to_string());
        }
    }
    for direction in [Direction::ToBokmaal, Direction::ToNynorsk] {
        let mut all_rules = word.to_string();
        for &(nynorsk, bokmaal, place, both_ways) in CORRESPONDENCES {
            let (from, to) = match direction {
                Direction::ToBokmaal => (nynorsk, bokmaal),
                Direction::ToNynorsk if both_ways => (bokmaal, nynorsk),
                Direction::ToNynorsk => continue,
            };
            if let Some(one_rule) = rewrite(word, from, to, place) {
                note(one_rule);
            }
            if let Some(more) = rewrite(&all_rules, from, to, place) {
                all_rules = more;
            }
        }
        note(all_rules);
    }
    found.truncate(MAX_COUNTERPARTS);
    found
}

/// `word` with `from` replaced by `to` where `place` says, or `None` where it does not hold
/// `from` there. Inside a word every occurrence is replaced; an ending leaves three letters
/// before it, so that a short word is not rewritten into another short word.
fn rewrite(word: &str, from: &str, to: &str, place: Place) -> Option<String> {
    let rest = word.chars().count().checked_sub(from.chars().count())?;
    match place {
        Place::Start => word
            .strip_prefix(from)
            .filter(|_| rest >= 1)
            .map(|tail| format!("{to}{tail}")),
        Place::End => word
            .strip_suffix(from)
            .filter(|_| rest >= 3)
            .map(|head| format!("{head}{to}")),
        Place::Inside => {
            (word.contains(from) && word.chars().count() >= 3).then(|| word.replace(from, to))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(word: &str, counterpart: &str) -> bool {
        counterparts(word).iter().any(|found| found == counterpart)
    }

    #[test]
    fn nynorsk_words_meet_their_bokmaal_forms() {
        let pairs = [
            ("samspel", "samspill"),
            ("samspelet", "samspillet"),
            ("føremål", "formål"),
            ("hovudføremålet", "hovedformålet"),
            ("skule", "skole"),
            ("born", "barn"),
            ("tidleg", "tidlig"),
            ("tidlegare", "tidligere"),
            ("kva", "hva"),
            ("korleis", "hvordan"),
            ("utanfor", "utenfor"),
            ("ungdomen", "ungdommen"),
            ("folkevalde", "folkevalgte"),
            ("påverkar", "påvirker"),
            ("moglegheit", "mulighet"),
            ("verksemd", "virksomhet"),
            ("heile", "hele"),
            ("innbyggjar", "innbygger"),
            ("arbeidslaus", "arbeidsløs"),
            ("bustadbygging", "boligbygging"),
            ("flaum", "flom"),
            ("flaumfare", "flomfare"),
            ("straumbrot", "strømbrudd"),
            ("naudstraum", "nødstrøm"),
            ("klimatilpassing", "klimatilpasning"),
            ("naudsynt", "nødvendig"),
            ("sjukeheim", "sykehjem"),
            ("eigedomsskatt", "eiendomsskatt"),
            ("framlegg", "forslag"),
            ("driftsutval", "driftsutvalg"),
            ("høyringsfrist", "høringsfrist"),
            ("handtere", "håndtere"),
            ("krisehandtering", "krisehåndtering"),
            ("hending", "hendelse"),
        ];
        for (nynorsk, bokmaal) in pairs {
            assert!(
                has(nynorsk, bokmaal),
                "{nynorsk} → {:?}",
                counterparts(nynorsk)
            );
            assert!(
                has(bokmaal, nynorsk) || nynorsk == "heile" || nynorsk == "arbeidslaus",
                "{bokmaal} → {:?}",
                counterparts(bokmaal)
            );
        }
    }

    #[test]
    fn short_words_are_left_alone_and_counterparts_are_few() {
        assert!(counterparts("lig").is_empty());
        assert!(counterparts("ar").is_empty());
        for word in [
            "kommunane",
            "samfunnsberedskap",
            "hovudføremålet",
            "forventningspress",
        ] {
            assert!(counterparts(word).len() <= MAX_COUNTERPARTS);
        }
    }
}
