//! Heading rules: which standalone lines read as titles, and the level their numbering shows.

use crate::ingest::words::count_words;

/// Longest line that can still be a heading (a whole-clause goal heading in `001_…` is 128).
const MAX_HEADING_CHARS: usize = 150;
const MAX_HEADING_WORDS: usize = 22;

/// A title with more words than this that holds a full stop is prose.
const MAX_WORDS_WITH_FULL_STOP: usize = 12;

/// Words a heading never ends with (bokmål, nynorsk, Danish): a line ending with one is a
/// sentence cut short, like `… Dette blant annet gjennom å`.
const OPEN_ENDINGS: [&str; 28] = [
    "å", "og", "i", "om", "til", "for", "med", "på", "av", "at", "som", "er", "en", "et", "ei",
    "den", "det", "de", "eller", "af", "fra", "frå", "ved", "der", "har", "vil", "skal", "the",
];

/// Whether a line reads as a title: short, starts with a capital, a digit or a quote, does
/// not end a sentence, introduce a list or stop on a function word, and is not several
/// sentences. A question may be a heading.
pub(crate) fn is_title_like(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let starts_well = first.is_uppercase() || first.is_ascii_digit() || "«\"'“".contains(first);
    let ends_open = !text.ends_with(['.', ':', ';', ',', '!']);
    // The cheap tests first, so that body text is refused before it is scanned (issue 5): a
    // line of more bytes than four a character has more characters than a heading may have.
    if !starts_well || !ends_open || text.len() > 4 * MAX_HEADING_CHARS {
        return false;
    }
    let words = count_words(text);
    let last_word = text
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .to_lowercase();
    let several_sentences = words > MAX_WORDS_WITH_FULL_STOP && text.contains(". ");
    !several_sentences
        && !is_label_and_value(text)
        && !OPEN_ENDINGS.contains(&last_word.as_str())
        && text.chars().any(char::is_alphabetic)
        && text.chars().count() <= MAX_HEADING_CHARS
        && words <= MAX_HEADING_WORDS
}

/// Words a label may have before its colon (`Til stede: …`).
const MAX_LABEL_WORDS: usize = 2;

/// Whether a line is a label and its value, as minutes and forms begin (`Dato: 10. februar
/// 2026`, `Sted: Rådhuset`): a field, not a heading (issue 15: the date became a level-1
/// heading above the `Sak …` headings). A numbered label is a heading (`Kapittel 2: …`).
fn is_label_and_value(text: &str) -> bool {
    let Some((label, value)) = text.split_once(": ") else {
        return false;
    };
    !value.trim().is_empty()
        && label.split_whitespace().count() <= MAX_LABEL_WORDS
        && label.chars().all(|c| c.is_alphabetic() || c == ' ')
}

/// The level a heading's numbering shows: `4.1 …` is 2, `Fokusomrade 1: …` and `3 …` are 1;
/// `None` when the heading is not numbered, or is a date (`12. mai`, `3. desember 2026`:
/// break trial of session 27, a date over the minutes of a meeting became a heading).
pub(crate) fn numbered_level(text: &str) -> Option<u8> {
    let (first, rest) = text.split_once(' ')?;
    if let Some(level) = dotted_number_depth(first) {
        let is_date = first.ends_with('.') && level == 1 && is_month_and_year(rest);
        return (rest.starts_with(char::is_alphabetic) && !is_date).then_some(level);
    }
    // A word, a number and a colon: `Fokusomrade 1: Udvikling…`, `Kapittel 2: …`.
    let (number, _) = rest.split_once(' ').unwrap_or((rest, ""));
    let number = number.strip_suffix(':')?;
    let depth = dotted_number_depth(number)?;
    first.chars().all(char::is_alphabetic).then_some(depth)
}

/// Months in Norwegian (bokmål and nynorsk) and Danish.
const MONTHS: [&str; 15] = [
    "januar",
    "februar",
    "mars",
    "marts",
    "april",
    "mai",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
    "december",
];

/// Whether `text` is a month's name, maybe with a year after it (`mai`, `desember 2026`,
/// `december`), as a date has them after its day.
fn is_month_and_year(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let month = words
        .next()
        .map(|word| word.trim_end_matches([',', '.']).to_lowercase());
    let is_month = month.is_some_and(|month| MONTHS.contains(&month.as_str()));
    let year = words.next();
    is_month
        && words.next().is_none()
        && year.is_none_or(|year| year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()))
}

/// `4` → 1, `4.1` → 2, `4.1.` → 2; anything else `None`.
fn dotted_number_depth(token: &str) -> Option<u8> {
    let token = token.strip_suffix('.').unwrap_or(token);
    let parts: Vec<&str> = token.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| (1..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()));
    (numeric && parts.len() <= 4).then_some(parts.len() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r15_a_date_is_not_a_numbered_heading() {
        for date in [
            "12. mai",
            "3. desember 2026",
            "1. Maj",
            "24. december 2025",
            "5. mars,",
        ] {
            assert_eq!(numbered_level(date), None, "{date}");
        }
        for heading in [
            "1. Formål",
            "2. Mai-konferansen",
            "12. Marts og april i tal",
            "4 Mai",
        ] {
            assert!(numbered_level(heading).is_some(), "{heading}");
        }
    }

    #[test]
    fn corpus_headings_are_title_like() {
        for heading in [
            "Mandat og rammer",
            "Oppfølging av prioriteringer i langtidsstrategien for perioden 2020 – 2023",
            "KS skal bidra til at kommunesektoren mobiliserer arbeidskraft, beholder og rekrutterer medarbeidere og utvikler deres kompetanse",
            "KS skal skape økt forståelse for, og styrke evnen til, omstilling i sektoren",
            "Fokusomrade 3: Civilsamfund",
            "Hvor går du, Kommune-Norge?",
            "4.1 Tverrgående satsinger",
        ] {
            assert!(is_title_like(heading), "{heading}");
        }
    }

    #[test]
    fn sentences_and_list_intros_are_not_title_like() {
        for text in [
            "KS skal arbeide slik i perioden:",
            "KS' mål og strategiske grep vil bli operasjonalisert i årlige planer.",
            "denne sammenhengen, og om kommuner",
            "2023,",
            "Hovedformålet er å styrke kompetansen og kvaliteten på topplederskapet i norske kommuner og fylkeskommuner. Dette blant annet gjennom å",
            "KOMDIR er et forum for kommunale topchefer, som gnsker en kvalificeret platform for",
        ] {
            assert!(!is_title_like(text), "{text}");
        }
    }

    #[test]
    fn a_label_and_its_value_is_no_title() {
        for field in [
            "Dato: 10. februar 2026",
            "Sted: Rådhuset",
            "Til stede: Kari Nordmann",
        ] {
            assert!(!is_title_like(field), "{field}");
        }
        assert!(is_title_like(
            "Fokusomrade 1: Udvikling af den borgernære velfærd"
        ));
        assert!(is_title_like("Sak 2/26: Budsjettjustering"));
    }

    #[test]
    fn levels_from_numbering() {
        assert_eq!(numbered_level("4.1 Tverrgående satsinger"), Some(2));
        assert_eq!(numbered_level("3 Organisasjon"), Some(1));
        assert_eq!(
            numbered_level("Fokusomrade 1: Udvikling af den borgernzere velfaerd"),
            Some(1)
        );
        assert_eq!(numbered_level("Fokusomrdde 2: Faerre ressourcer"), Some(1));
        assert_eq!(numbered_level("Mandat og rammer"), None);
        assert_eq!(numbered_level("2023 – 2025"), None);
        assert_eq!(numbered_level("KS' strategi 2024-2027"), None);
    }
}
