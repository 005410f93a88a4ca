//! Language detection: tells bokmål, nynorsk and Danish apart by counting words that only one
//! of the three uses.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::LazyLock;

use tantivy::tokenizer::{TokenStream, Tokenizer};

use super::tokenizer::WordTokenizer;
use super::word_hasher::WordHasher;

use crate::lang::Lang;

// Each list holds words that belong to one language and are not written the same way in the
// other two (`ikke` is both bokmål and Danish, `av` both bokmål and nynorsk, so neither is
// here). Function words carry the weight because every text has them; the Danish list also
// avoids æ, ø and å, which OCR of Danish PDFs turns into `ae`, `g` and `a` (`velfaerd`,
// `gnsker`, `pa`), so detection survives that damage.

const BOKMAAL_WORDS: &[&str] = &[
    "noen",
    "noe",
    "hva",
    "mye",
    "ble",
    "gjøre",
    "gjør",
    "dere",
    "uten",
    "ennå",
    "vært",
    "dessuten",
    "hennes",
    "hverandre",
    "kommunene",
    "fylkeskommunene",
    "innbyggere",
    "innbyggerne",
    "utfordringer",
    "mulighet",
    "muligheter",
];

const NYNORSK_WORDS: &[&str] = &[
    "ikkje",
    "eg",
    "me",
    "kva",
    "kvar",
    "kvifor",
    "kven",
    "korleis",
    "vere",
    "berre",
    "nokon",
    "noko",
    "nokre",
    "frå",
    "òg",
    "dei",
    "deira",
    "ho",
    "eit",
    "ein",
    "vert",
    "vart",
    "meir",
    "mykje",
    "fleire",
    "sjølv",
    "saman",
    "desse",
    "utan",
    "kjem",
    "gjere",
    "difor",
    "medan",
    "sidan",
    "hjå",
    "heile",
    "kvarandre",
    "kommunane",
    "tilsette",
    "innbyggjarar",
    "innbyggjarane",
    "utfordringar",
    "moglegheiter",
];

const DANISH_WORDS: &[&str] = &[
    "af",
    "hvad",
    "mellem",
    "vores",
    "blandt",
    "efter",
    "gennem",
    "nogle",
    "noget",
    "nogen",
    "sig",
    "mig",
    "dig",
    "os",
    "jer",
    "hende",
    "hendes",
    "bliver",
    "blev",
    "havde",
    "giver",
    "ud",
    "op",
    "uden",
    "nu",
    "mod",
    "endnu",
    "desuden",
    "hinanden",
    "fx",
    "arbejde",
    "arbejder",
    "arbejdet",
    "samarbejde",
    "samarbejdet",
    "udvikle",
    "udvikling",
    "udviklingen",
    "udfordring",
    "udfordringer",
    "mulighed",
    "muligheder",
    "opgave",
    "opgaver",
    "kommunerne",
];

/// Each distinctive word and the one language it points to.
/// Hashed with the lexicon's fast hasher: every word of every document is looked up here.
static DISTINCTIVE_WORDS: LazyLock<HashMap<&'static str, Lang, BuildHasherDefault<WordHasher>>> =
    LazyLock::new(|| {
        let lists = [
            (Lang::Nb, BOKMAAL_WORDS),
            (Lang::Nn, NYNORSK_WORDS),
            (Lang::Da, DANISH_WORDS),
        ];
        lists
            .into_iter()
            .flat_map(|(lang, words)| words.iter().map(move |word| (*word, lang)))
            .collect()
    });

/// The one language that uses lowercase `word` (a word of the lists above), or that uses the
/// word a compound begins with (`opgaveløsning`: `opgave`, Danish), if any. A compound's head
/// counts when it has at least [`MIN_HEAD_CHARS`] letters (`af`, `nu` begin many words).
pub(crate) fn distinctive_language(word: &str) -> Option<Lang> {
    if let Some(lang) = DISTINCTIVE_WORDS.get(word) {
        return Some(*lang);
    }
    DISTINCTIVE_WORDS
        .iter()
        .filter(|(head, _)| head.chars().count() >= MIN_HEAD_CHARS && word.starts_with(*head))
        .max_by_key(|(head, _)| head.len())
        .map(|(_, lang)| *lang)
}

/// The fewest letters of a distinctive word a compound may begin with to tell its language.
const MIN_HEAD_CHARS: usize = 5;

/// The language of `text`: the one with most distinctive words. Bokmål wins ties, including
/// text with no distinctive word at all, because most of the corpus is bokmål.
pub(crate) fn detect_language(text: &str) -> Lang {
    let counts = distinctive_word_counts(text);
    let mut best = Lang::Nb;
    for lang in Lang::ALL {
        if counts[index(lang)] > counts[index(best)] {
            best = lang;
        }
    }
    best
}

/// How many words of `text` are distinctive for each language, indexed as `Lang::ALL`.
fn distinctive_word_counts(text: &str) -> [usize; 3] {
    let mut counts = [0; 3];
    // The indexer's own words (issue 5: its plain-word fast path), lowercased in one buffer.
    let mut tokenizer = WordTokenizer;
    let mut words = tokenizer.token_stream(text);
    let mut lowercase = String::new();
    while words.advance() {
        let word = &words.token().text;
        lowercase.clear();
        if word.is_ascii() {
            lowercase.push_str(word);
            lowercase.make_ascii_lowercase();
        } else {
            lowercase.extend(word.chars().flat_map(char::to_lowercase));
        }
        if let Some(lang) = DISTINCTIVE_WORDS.get(lowercase.as_str()) {
            counts[index(*lang)] += 1;
            if is_decisive(&counts) {
                break;
            }
        }
    }
    counts
}

/// Distinctive words one language needs, and how many times any other language's count,
/// before the rest of a text cannot plausibly change the answer. Reading on spent half the
/// time of loading a document (issue 5's profile).
const DECISIVE_WORDS: usize = 64;
const DECISIVE_FACTOR: usize = 4;

/// Whether one language leads `counts` by so much that counting can stop.
fn is_decisive(counts: &[usize; 3]) -> bool {
    let leader = counts.iter().copied().max().unwrap_or(0);
    let others: usize = counts.iter().sum::<usize>() - leader;
    leader >= DECISIVE_WORDS && leader >= DECISIVE_FACTOR * others.max(1)
}

fn index(lang: Lang) -> usize {
    match lang {
        Lang::Nb => 0,
        Lang::Nn => 1,
        Lang::Da => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_stops_only_at_a_decisive_lead() {
        assert!(is_decisive(&[64, 0, 16]));
        assert!(!is_decisive(&[64, 0, 17]));
        assert!(!is_decisive(&[63, 0, 0]));
        assert!(is_decisive(&[0, 0, 200]));
    }

    #[test]
    fn a_decisive_start_decides_a_long_text() {
        let danish = "Kommunerne skal arbejde med hvordan vi kan nogle af de ting. ".repeat(40);
        let bokmaal = "Kommunene skal jobbe med hvordan vi kan noen av de ting. ".repeat(400);
        let danish_counts = distinctive_word_counts(&danish);
        assert!(is_decisive(&danish_counts), "{danish_counts:?}");
        // One sentence of each is far from decisive, so these are whole counts.
        let danish_per_sentence = distinctive_word_counts(&danish[..61])[2];
        let bokmaal_per_sentence = distinctive_word_counts(&bokmaal[..57])[0];
        assert!(40 * danish_per_sentence < 400 * bokmaal_per_sentence);
        // Counted to the end, the bokmål would outnumber the Danish tenfold; the count stops
        // once the Danish start is decisive.
        assert_eq!(detect_language(&(danish + &bokmaal)), Lang::Da);
    }
    use std::collections::HashSet;
    use std::path::Path;

    const BOKMAAL_SAMPLE: &str = "Kommunen skal sikre at innbyggerne får gode og likeverdige \
        tjenester. Vi ser at det blir stadig vanskeligere å rekruttere nok medarbeidere til helse- \
        og omsorgssektoren. Derfor må vi jobbe mer målrettet med lærlinger og heltidskultur. Noen \
        av tiltakene er allerede i gang, men det trengs mye mer samarbeid mellom kommunene.";

    const NYNORSK_SAMPLE: &str = "Kommunen skal sikre at innbyggjarane får gode og likeverdige \
        tenester. Vi ser at det blir stadig vanskelegare å rekruttere nok tilsette til helse- og \
        omsorgssektoren. Difor må vi arbeide meir målretta med lærlingar, og kommunane bør \
        samarbeide tettare enn i dag. Eg meiner at dette ikkje berre handlar om pengar, men òg \
        om korleis vi organiserer arbeidet.";

    const DANISH_SAMPLE: &str = "Kommunerne skal sikre, at borgerne får gode og ligeværdige \
        tilbud. Vi oplever, at det bliver stadig sværere at rekruttere medarbejdere til \
        ældreplejen. Derfor er der brug for et tættere samarbejde mellem kommunerne og \
        civilsamfundet. Vi ønsker at udvikle nye løsninger, som giver mening for borgerne og for \
        vores medarbejdere.";

    /// The same kind of prose as OCR reads it from a Danish PDF: ø as `g`, æ as `ae`/`z`/`ee`,
    /// å as `a`.
    const OCR_DANISH_SAMPLE: &str = "Kommunerne gnsker at styrke samarbejdet mellem \
        civilsamfundet og kommunen. Det kraever indsigt i den kommunale opgavelgsning at \
        realisere en friszettelse i den offentlige sektor. Vi vil bidrage til, at dialogen om \
        velfaerd forankres i det lokale demokrati, og vi er nysgerrige pa, hvad der virker. \
        Kommunaldirektgrer har en seerlig rolle i udviklingen af den borgernaere velfaerd.";

    #[test]
    fn bokmaal_sample_is_nb() {
        assert_eq!(detect_language(BOKMAAL_SAMPLE), Lang::Nb);
    }

    #[test]
    fn nynorsk_sample_is_nn() {
        assert_eq!(detect_language(NYNORSK_SAMPLE), Lang::Nn);
    }

    #[test]
    fn clean_danish_sample_is_da() {
        assert_eq!(detect_language(DANISH_SAMPLE), Lang::Da);
    }

    #[test]
    fn ocr_damaged_danish_sample_is_da() {
        assert_eq!(detect_language(OCR_DANISH_SAMPLE), Lang::Da);
    }

    #[test]
    fn samples_have_no_words_distinctive_for_another_language() {
        let samples = [
            (BOKMAAL_SAMPLE, Lang::Nb),
            (NYNORSK_SAMPLE, Lang::Nn),
            (DANISH_SAMPLE, Lang::Da),
            (OCR_DANISH_SAMPLE, Lang::Da),
        ];
        for (sample, lang) in samples {
            let counts = distinctive_word_counts(sample);
            let others: usize = Lang::ALL
                .into_iter()
                .filter(|other| *other != lang)
                .map(|other| counts[index(other)])
                .sum();
            assert_eq!(others, 0, "{lang}: {counts:?}");
            assert!(counts[index(lang)] >= 3, "{lang}: {counts:?}");
        }
    }

    #[test]
    fn text_without_distinctive_words_is_nb() {
        assert_eq!(detect_language(""), Lang::Nb);
        assert_eq!(detect_language("KS 2024-2027"), Lang::Nb);
    }

    #[test]
    fn capitals_and_apostrophes_do_not_hide_words() {
        assert_eq!(detect_language("IKKJE BERRE KVA"), Lang::Nn);
        assert_eq!(detect_language("Udviklingen af KOMDIR's rolle"), Lang::Da);
    }

    #[test]
    fn word_lists_are_lowercase_and_disjoint() {
        let all_words: Vec<&str> = [BOKMAAL_WORDS, NYNORSK_WORDS, DANISH_WORDS].concat();
        let unique: HashSet<&str> = all_words.iter().copied().collect();
        assert_eq!(unique.len(), all_words.len(), "a word is listed twice");
        for word in all_words {
            assert_eq!(word, word.to_lowercase());
        }
    }

    #[test]
    fn corpus_documents_are_detected() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let expected = [
            ("000_", Lang::Nb),
            ("001_", Lang::Nb),
            ("002_", Lang::Nb),
            ("003_", Lang::Nb),
            ("004_", Lang::Da),
        ];
        for (prefix, lang) in expected {
            let text = read_corpus_file(&corpus, prefix);
            assert_eq!(
                detect_language(&text),
                lang,
                "{prefix}: {:?}",
                distinctive_word_counts(&text)
            );
        }
    }

    fn read_corpus_file(corpus: &Path, prefix: &str) -> String {
        let entries = std::fs::read_dir(corpus).expect("corpus folder is readable");
        let path = entries
            .map(|entry| entry.expect("corpus entry is readable").path())
            .find(|path| {
                path.file_name()
                    .is_some_and(|name| name.to_string_lossy().starts_with(prefix))
            })
            .unwrap_or_else(|| panic!("no corpus file starts with {prefix}"));
        std::fs::read_to_string(path).expect("corpus file is UTF-8")
    }
}
