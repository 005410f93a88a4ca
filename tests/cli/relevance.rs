//! Issue 17: ranking for how people ask (questions, nynorsk, derived words), one document
//! not flooding the page, title-only passages, the query's language. Run against the real
//! binary, on the bundled corpus or on a folder made here.

use super::*;

/// A folder of its own with `files` as its corpus (no bundled documents).
fn workspace_with(files: &[(&str, String)]) -> Workspace {
    let workspace = Workspace::new();
    for name in CORPUS_FILES {
        std::fs::remove_file(workspace.file(&format!("corpus/{name}"))).unwrap();
    }
    for (name, text) in files {
        std::fs::write(workspace.file(&format!("corpus/{name}")), text).unwrap();
    }
    workspace
}

/// A long report about preparedness (about 1.2 MB): many sections whose headings and
/// paragraphs all say `beredskap`, as the big file did.
fn big_report() -> String {
    let mut text = String::from("Rapport om beredskap i kommunene\n\n");
    let mut part = 0;
    while text.len() < 1_200_000 {
        part += 1;
        text.push_str(&format!("Beredskap og samfunnssikkerhet del {part}\n\n"));
        for paragraph in 0..4 {
            text.push_str(&format!(
                "Kommunen arbeider med beredskap i del {part} avsnitt {paragraph}. Planene for \
                 risiko og sårbarhet blir gjennomgått hvert år, og øvelser holdes med \
                 nødetatene, frivillige lag og nabokommunene. Ansvaret for oppfølgingen ligger \
                 hos kommunedirektøren, som rapporterer til kommunestyret om status og tiltak.\n\n"
            ));
        }
    }
    text
}

#[test]
fn r17_one_big_document_does_not_hide_a_short_note() {
    let workspace = workspace_with(&[
        ("rapport.txt", big_report()),
        (
            "notat.txt",
            "Notat om strøm\n\nVi trenger bedre beredskap ved strømbrudd.\n".to_string(),
        ),
    ]);
    let is_note = |hit: &Hit| hit.source.ends_with("notat.txt");
    let hits = search_jsonl(&workspace, &["beredskap"]);
    let note = hits.iter().position(is_note);
    // The report's three best passages, then the note: a document's best passage is never
    // held back, and the rest of the report follows.
    assert_eq!(
        note,
        Some(3),
        "{:?}",
        hits.iter().map(|h| &h.source).collect::<Vec<_>>()
    );
    assert!(hits[..3]
        .iter()
        .all(|hit| hit.source.ends_with("rapport.txt")));
    assert_eq!(hits.len(), 10);
    // --explain says which hits the cap held back.
    let explained = search_jsonl(&workspace, &["--explain", "beredskap"]);
    let capped: Vec<Option<&str>> = explained
        .iter()
        .map(|hit| hit.explain.as_ref().expect("explain").capped.as_deref())
        .collect();
    assert_eq!(capped[..4], [None, None, None, None]);
    assert!(
        capped[4..].iter().all(|cap| *cap == Some("document")),
        "{capped:?}"
    );
    // Without the cap (as before issue 17) the report fills the page.
    let uncapped = search_jsonl(&workspace, &["--per-document", "100", "beredskap"]);
    assert!(!uncapped.iter().any(is_note));
    let one = search_jsonl(&workspace, &["--per-document", "1", "beredskap"]);
    assert!(is_note(&one[1]));
    let zero = workspace.lete(&["search", "--per-document", "0", "beredskap"]);
    assert_eq!(zero.status.code(), Some(2));
}

/// The bundled corpus and the nynorsk test text (`tests/fixtures/nynorsk/`).
fn workspace_with_nynorsk_text() -> Workspace {
    let workspace = Workspace::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nynorsk");
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        std::fs::copy(&path, workspace.file(&format!("corpus/{name}"))).unwrap();
    }
    workspace
}

/// Issue 17: nynorsk and bokmål meet in both directions. Bokmål queries over the nynorsk test
/// text (`tests/fixtures/queries-nynorsk.tsv`: MRR@10 0.875 before issue 17), and a nynorsk
/// query over the bokmål corpus, with the form `--explain` names.
#[test]
fn r17_nynorsk_and_bokmaal_meet_both_ways() {
    let workspace = workspace_with_nynorsk_text();
    let outline = workspace.ok(&["outline", "--json", "corpus/oppvekstplan-nn.txt"]);
    assert!(
        stdout(&outline).contains("\"lang\":\"nn\""),
        "{}",
        stdout(&outline)
    );
    let (eval, ranks) = eval_fixture(&workspace, "queries-nynorsk.tsv");
    assert!(eval.mrr10 >= 0.95, "{ranks:?}");

    let hits = search_jsonl(&workspace, &["--explain", "samspill med skulen"]);
    assert!(
        hits[0].text.contains("samspelet mellom skulen"),
        "{}",
        hits[0].text
    );
    let words = &hits[0].explain.as_ref().unwrap().words;
    assert_eq!(words[0].form.as_deref(), Some("nynorsk"));
    let matched = words[0]
        .matched
        .as_deref()
        .unwrap_or_default()
        .to_lowercase();
    assert!(matched.starts_with("samspel"), "{matched}");
    let hits = search_jsonl(&workspace, &["--explain", "samspel mellom medlemane"]);
    assert!(
        hits[0]
            .text
            .contains("Styrke samspillet mellom KS' medlemmer"),
        "{}",
        hits[0].text
    );
    let words = &hits[0].explain.as_ref().unwrap().words;
    assert_eq!(words[0].form.as_deref(), Some("nynorsk"));
    assert_eq!(words[0].matched.as_deref(), Some("samspillet"));
}

/// Issue 17's held-out check: 36 queries of the dev set's kinds written by a second person
/// who had not seen the code (`tests/fixtures/queries-second.tsv`; MRR@10 0.891 before issue
/// 17), and a dozen of the implementer's own (`queries-own.tsv`; 0.850 before).
#[test]
fn r17_queries_of_the_same_kinds_keep_their_floor() {
    let workspace = Workspace::new();
    let (second, ranks) = eval_fixture(&workspace, "queries-second.tsv");
    assert_eq!(second.queries, 36);
    assert!(second.mrr10 >= 0.93, "{ranks:?}");
    assert!(second.s5 >= 0.95, "{ranks:?}");
    let (own, ranks) = eval_fixture(&workspace, "queries-own.tsv");
    assert_eq!(own.queries, 12);
    assert!(own.mrr10 >= 0.90, "{ranks:?}");
}

/// Issue 17: `lete search KS` no longer shows the title line `KS' strategi 2024-2027` as a
/// hit; no hit is only its heading.
#[test]
fn r17_no_hit_is_only_a_title_or_heading() {
    let workspace = Workspace::new();
    for query in ["KS", "strategi", "prioriterte arbeidsområder"] {
        for hit in search_jsonl(&workspace, &[query]) {
            let text = normalized(&hit.text);
            assert!(
                !hit.heading_path
                    .iter()
                    .any(|heading| normalized(heading) == text),
                "{query}: {text}"
            );
        }
    }
}

/// A document whose only match is its title line (a one-line note) is still a hit, and a
/// source of `--files`: the title-only passage stays out only where another passage of its
/// document matches (break trial of issues 14 to 20: the note was counted in `total` and
/// shown nowhere).
#[test]
fn r17_a_document_found_only_by_its_title_is_still_a_hit() {
    let workspace = workspace_with(&[
        ("notat.txt", "Ny tekst om sjiraffpassasje.\n".to_string()),
        (
            "brev.txt",
            "Overskrift\n\nDen andre teksten om sjiraffpassasje av kommunene og deres \
             oppgaver.\n"
                .to_string(),
        ),
    ]);
    let hits = search_jsonl(&workspace, &["sjiraffpassasje"]);
    let mut sources: Vec<&str> = hits.iter().map(|hit| hit.source.as_str()).collect();
    sources.sort_unstable();
    assert_eq!(sources, ["corpus/brev.txt", "corpus/notat.txt"], "{hits:?}");
    let files = workspace.lete(&["search", "--files", "sjiraffpassasje"]);
    let listed = String::from_utf8_lossy(&files.stdout);
    assert!(
        listed.contains("corpus/notat.txt") && listed.contains("corpus/brev.txt"),
        "{listed}"
    );
}

/// Issue 17: a question's words that say how it is asked, and the language it is asked in,
/// are named in `--explain`.
#[test]
fn r17_explain_names_function_words_and_the_query_language() {
    let workspace = Workspace::new();
    let hits = search_jsonl(
        &workspace,
        &[
            "--explain",
            "hvordan kan kommunene rekruttere flere ansatte?",
        ],
    );
    let words = &hits[0].explain.as_ref().unwrap().words;
    let function_words: Vec<&str> = words
        .iter()
        .filter(|word| word.function_word)
        .map(|word| word.word.as_str())
        .collect();
    assert_eq!(function_words, ["hvordan", "kan"]);
    let pretty = workspace.ok(&[
        "search",
        "--explain",
        "-n",
        "1",
        "hvordan kan kommunene rekruttere",
    ]);
    assert!(
        stdout(&pretty).contains("(function word)"),
        "{}",
        stdout(&pretty)
    );
    let explain = hits[0].explain.as_ref().unwrap();
    assert_eq!(explain.query_lang.as_deref(), Some("nb"));
    assert!(explain.in_query_lang);
    let danish = search_jsonl(&workspace, &["--explain", "hvad gør kommunerne"]);
    let explain = danish[0].explain.as_ref().unwrap();
    assert_eq!(explain.query_lang.as_deref(), Some("da"));
    assert_eq!(
        (danish[0].lang.as_str(), explain.in_query_lang),
        ("da", true)
    );
}

/// Found in the trial of issues 15 to 20: `skole` matched the Danish function word `skal` as
/// a near spelling, and two Danish passages about something else ranked second and third.
#[test]
fn r17_a_function_word_is_never_a_near_spelling_of_a_content_word() {
    let workspace = Workspace::new();
    let hits = search_jsonl(&workspace, &["--explain", "--limit", "20", "skole"]);
    assert!(!hits.is_empty());
    for hit in &hits {
        let word = &hit.explain.as_ref().unwrap().words[0];
        let matched = word.matched.as_deref().unwrap_or_default().to_lowercase();
        assert_ne!(matched, "skal", "{}: {}", hit.source, hit.text);
        assert!(
            matched.starts_with("skol") || matched.contains("skole"),
            "{matched}: {}",
            hit.text
        );
    }
}

/// A small folder of its own (the new-user trial of issue 15): a few short notes, whose
/// compounds' parts mostly never stand alone.
fn small_folder() -> Workspace {
    workspace_with(&[
        (
            "referat.txt",
            "Referat fra formannskapet\n\nSak 2: Budsjettjustering for skolesektoren\n\n\
             Rådmannen orienterte om merforbruk i skolesektoren, hovedsakelig knyttet til \
             spesialundervisning og skoleskyss.\n"
                .to_string(),
        ),
        (
            "evaluering.txt",
            "Evaluering av hjemmetjenesten\n\nFunn\n\nRessurskrevende brukere utgjør en \
             økende andel av budsjettet. Det brukes mye tid på å koordinere ferieavvikling.\n"
                .to_string(),
        ),
        (
            "klimaplan.txt",
            "Klimaplan for kommunen\n\nBygg\n\nKommunen skal redusere energibruken i sine \
             bygg. Ungdomsskolen får nytt ventilasjonsanlegg i 2027, og det lønner seg. \
             Administrasjonen har laget en mulighetsstudie for taket.\n"
                .to_string(),
        ),
    ])
}

/// The trial's first finding: in a small folder `budsjett` missed `Budsjettjustering` and
/// `ventilasjon` missed `ventilasjonsanlegg` (only `budsjett*` found them): the lexicon knew
/// neither part, so the index held none. A query word that begins or ends a longer word of
/// the folder finds it as a compound part, by the splitter's rules (`and` begins no `andre`).
#[test]
fn r15_a_query_word_finds_the_compounds_it_begins_or_ends_in_a_small_folder() {
    let workspace = small_folder();
    for (query, compound) in [
        ("budsjett", "Budsjettjustering"),
        ("ventilasjon", "ventilasjonsanlegg"),
        ("anlegg", "ventilasjonsanlegg"),
    ] {
        let hits = search_jsonl(&workspace, &["--explain", query]);
        let hit = hits
            .iter()
            .find(|hit| hit.text.contains(compound))
            .unwrap_or_else(|| panic!("{query}: {hits:?}"));
        let word = &hit.explain.as_ref().unwrap().words[0];
        assert_eq!(word.form.as_deref(), Some("compound"), "{query}");
        assert_eq!(word.matched.as_deref(), Some(compound), "{query}");
    }
    // The word itself still ranks first: `budsjettet` stands alone.
    let hits = search_jsonl(&workspace, &["budsjett"]);
    assert!(hits[0].text.contains("budsjettet"), "{hits:?}");
    // A word that begins a derivation is no part of it: `mulig|hetsstudie` is
    // `mulighet|s|studie`.
    let none = workspace.lete(&["search", "mulig"]);
    assert_eq!(none.status.code(), Some(1), "{}", stdout(&none));
}

/// The trial's second finding: `eldre` found the Danish `ældre` only as a near spelling, below
/// the bokmål `meldt` and `bedre` (rank 6). A Norwegian `e` is a Danish `æ`: the Danish word
/// is another spelling of the query word and ranks above the guesses.
#[test]
fn r15_a_norwegian_e_finds_the_danish_ae_above_near_spellings() {
    let workspace = workspace_with(&[
        (
            "referat.txt",
            "Referat fra driftsutvalget\n\nVinterdrift\n\nEntreprenøren har meldt om mangel på \
             sjåfører. Administrasjonen skal legge fram en bedre plan for vinterdriften.\n"
                .to_string(),
        ),
        (
            "kommuneplan.txt",
            "Kommuneplan for Havnby Kommune\n\nÆldreområdet\n\nKommunen vil styrke indsatsen \
             for de ældre borgere, og flere ældre skal kunne bo hjemme. Det er vigtigt, at \
             borgerne selv får indflydelse på hvad der sker, og at kommunerne ikke mister \
             overblikket. Vi har brug for nogle nye løsninger af hensyn til økonomien, og \
             derfor skal der også ske ændringer i hjemmeplejen.\n"
                .to_string(),
        ),
    ]);
    let hits = search_jsonl(&workspace, &["--explain", "eldre"]);
    assert_eq!(hits[0].lang, "da", "{hits:?}");
    assert!(hits[0].text.contains("ældre"), "{hits:?}");
    let word = &hits[0].explain.as_ref().unwrap().words[0];
    assert_eq!(word.form.as_deref(), Some("folded"));
    assert_eq!(word.matched.as_deref(), Some("ældre"));
}

/// The trial's third finding: `flom` missed the nynorsk `flaum` and `boligbygging` missed
/// `bustadbygging`, pairs of words the two standards spell apart that no regular
/// correspondence gave.
#[test]
fn r15_bokmaal_words_find_their_nynorsk_spellings_of_planning_and_preparedness() {
    let workspace = workspace_with(&[(
        "mote.txt",
        "Møtebok for kommunestyret\n\nSak 4/26 Bustadbygging\n\nKommunestyret vedtok å \
         prioritere bustadbygging i sentrum. Det vart ikkje gjort vedtak om nye byggjefelt \
         no, men saka kjem opp att til hausten.\n\nSak 5/26 Klimatilpassing\n\nKommunen \
         må vere budd på meir flaum og skred, og ein plan for tiltak skal leggjast fram.\n"
            .to_string(),
    )]);
    for (query, counterpart) in [("boligbygging", "bustadbygging"), ("flom", "flaum")] {
        assert_first_hit_is_the_nynorsk_spelling(&workspace, query, counterpart);
    }
}

/// The first hit of `query` matches its word as the nynorsk spelling `counterpart`.
fn assert_first_hit_is_the_nynorsk_spelling(workspace: &Workspace, query: &str, counterpart: &str) {
    let hits = search_jsonl(workspace, &["--explain", query]);
    assert!(!hits.is_empty(), "{query}");
    let word = &hits[0].explain.as_ref().unwrap().words[0];
    assert_eq!(word.form.as_deref(), Some("nynorsk"), "{query}: {hits:?}");
    assert_eq!(
        word.matched.as_deref().map(str::to_lowercase).as_deref(),
        Some(counterpart),
        "{query}"
    );
}

/// Session 27's new-user trial: bokmål words of preparedness missed their nynorsk spellings
/// (`nødstrøm` the `naudstraum` that finds `Nødstrøm`, `strømbrudd` `straumbrot`,
/// `klimatilpasning` `klimatilpassing`, `nødvendig` `naudsynt`).
#[test]
fn r15_bokmaal_words_of_preparedness_find_their_nynorsk_spellings() {
    let workspace = workspace_with(&[(
        "beredskap-nn.txt",
        "Beredskapsplan for kommunen\n\nNaudstraum og samband\n\nSjukeheimen har \
         naudstraum frå eit aggregat, og det er naudsynt å prøve det kvar månad.\n\n\
         Straumbrot\n\nVed straumbrot skal kommunen varsle innbyggjarane.\n\n\
         Klimatilpassing\n\nKommunen skal sikre bygg mot flaum og skred.\n"
            .to_string(),
    )]);
    for (query, counterpart) in [
        ("nødstrøm", "naudstraum"),
        ("strømbrudd", "straumbrot"),
        ("klimatilpasning", "klimatilpassing"),
        ("nødvendig", "naudsynt"),
    ] {
        assert_first_hit_is_the_nynorsk_spelling(&workspace, query, counterpart);
    }
}

/// A small folder of a municipality's plans, in bokmål and nynorsk, as the last new-user
/// trial's folder was (session 27).
fn plans_folder() -> Workspace {
    workspace_with(&[
        (
            "beredskapsplan.txt",
            "Beredskapsplan for Eksempel kommune\n\n1. Formål\n\nPlanen skal sikre at \
             kommunen kan håndtere uønskede hendelser. Kriseledelse etableres på rådhuset når \
             rådmannen bestemmer det, og møtet holdes så snart som mulig.\n\n2. Kriseledelse\n\n\
             Kriseledelsen består av ordfører, kommunedirektør og beredskapskoordinator. Den \
             skal samles på et egnet sted, og øvelser holdes hvert år ved brannstasjonen.\n\n\
             3. Nødstrøm og samband\n\nRådhuset og sykehjemmet har nødstrøm fra aggregat. Fire \
             aggregater kontrolleres hver måned, og loggen føres i en egen fil på felles \
             område.\n\n4. Brannsikring\n\nSykehjemmet har sprinkleranlegg i alle fløyer. Nye \
             bygg skal prosjekteres med sprinkleranlegg der forskriften krever det.\n"
                .to_string(),
        ),
        (
            "kommuneplan.txt",
            "Kommuneplanens samfunnsdel 2026–2038\n\nUtfordringer\n\nKommunen står overfor \
             store utfordringer med en aldrende befolkning og lavere inntekter. Økonomien er \
             stram, og handlingsrommet er lite.\n\nFiberutbygging\n\nFiberutbygging i \
             grendene skal fullføres innen 2028. Bredbånd er en forutsetning for at folk kan \
             bo og arbeide i hele kommunen.\n\nArealbruk\n\nStrandsonen skal forvaltes slik at \
             allmennheten har tilgang til sjøen. Grensen for byggeforbud i strandsonen er 100 \
             meter. Utforming av nye boligområder skal ta hensyn til landskapet.\n\n\
             Klimatilpasning\n\nKommunen skal sikre bebyggelsen mot flom og skred.\n"
                .to_string(),
        ),
        (
            "budsjett.txt",
            "Budsjettjustering 2026\n\nØkonomiplan\n\nKommunestyret vedtok budsjettjustering i \
             juni. Økonomiplanen for 2026–2029 viser et behov for innsparing på 12 millioner \
             kroner.\n\nSkjenkebevilling\n\nSøknad om godkjenning av skjenkested behandles av \
             formannskapet. Godkjenning gis for fire år om gangen.\n"
                .to_string(),
        ),
        (
            "klima-nn.txt",
            "Klimaplan for kommunen\n\nMål for klimagassutsleppa\n\nKommunen skal redusere \
             klimagassutsleppa med 55 prosent innan 2030. Dei største kjeldene er vegtrafikk og \
             landbruk, og kommunen vil handtere dette gjennom planlegging og innkjøp.\n\n\
             Utforming av tiltaka\n\nUtforminga av tiltaka skjer i samarbeid med \
             grannekommunane. Grensa mellom kommunane går langs elva, og tiltaka skal gjelde \
             på begge sider av grensa.\n"
                .to_string(),
        ),
    ])
}

/// The last trial's first finding: near spellings reached unrelated words. `ledelse` (stem
/// `led`) was one edit from `sted` and `holdes` (the scan counted no edit for a term's leading
/// letters), `fiber` (stem `fib`) from `fil` and `fire`, `skjenking` two from `godkjenning`;
/// and `utfordringer` and `grend`, words of the bokmål passages, went fuzzy in the nynorsk
/// ones to `utforming` and `grensa`.
#[test]
fn r15_near_spellings_reach_no_unrelated_words() {
    let workspace = plans_folder();
    for query in ["ledelse", "fiber", "skjenking", "utfordringer", "grend"] {
        let output = workspace.lete(&["search", "--jsonl", "--explain", query]);
        for hit in &jsonl_hits(&output) {
            let word = &hit.explain.as_ref().unwrap().words[0];
            assert_ne!(
                word.form.as_deref(),
                Some("fuzzy"),
                "{query} matched {:?} in {}",
                word.matched,
                hit.source
            );
        }
    }
    // The words the folder has are still found as themselves.
    let hits = search_jsonl(&workspace, &["utfordringer"]);
    assert!(hits[0].text.contains("store utfordringer"), "{hits:?}");
    let hits = search_jsonl(&workspace, &["grend"]);
    assert!(hits[0].text.contains("grendene"), "{hits:?}");
}

/// The form and passage word a query word matched in a hit.
fn matched_as(hit: &Hit) -> (Option<&str>, Option<&str>) {
    let word = &hit.explain.as_ref().expect("explain").words[0];
    (word.form.as_deref(), word.matched.as_deref())
}

/// Asserts that the first hit of one-word `query` matched it in `form` as `word`.
fn assert_first_hit_matches(workspace: &Workspace, query: &str, form: &str, word: &str) {
    let hits = search_jsonl(workspace, &["--explain", query]);
    assert!(!hits.is_empty(), "{query}");
    assert_eq!(matched_as(&hits[0]), (Some(form), Some(word)), "{query}");
}

/// The last trial's second finding: ø typed as o worked only sometimes (`okonomi` found
/// økonomi as a near spelling; `nodstrom`, two letters off, and `mote`, too short to be
/// near, found nothing). A word the folder lacks is looked up with its `o` as `ø` and `a` as
/// `å`, as another spelling; `mote` shares its stem with the preposition `mot`, which the
/// folder has, and `møtet` still ranks above `mot`.
#[test]
fn r15_o_and_a_typed_for_oe_and_aa_find_the_folders_words() {
    let workspace = plans_folder();
    for (query, word) in [
        ("nodstrom", "Nødstrøm"),
        ("okonomiplan", "Økonomiplan"),
        ("mote", "møtet"),
        ("omrade", "område"),
    ] {
        assert_first_hit_matches(&workspace, query, "folded", word);
    }
}

/// The last trial's third finding: a word beginning a compound was missed where the rest
/// began with a particle (`ut|bygging`, `an|legg`: a vowel start was taken for a suffix);
/// and a query word that is no word matched as a part (`stra` in `Strandsonen`, `tering` in
/// `Budsjettjustering`).
#[test]
fn r15_a_compound_part_may_begin_with_a_particle_and_a_part_must_be_a_word() {
    let workspace = plans_folder();
    for (query, compound) in [
        ("fiber", "Fiberutbygging"),
        ("sprinkler", "sprinkleranlegg"),
        ("klimagass", "klimagassutsleppa"),
    ] {
        assert_first_hit_matches(&workspace, query, "compound", compound);
    }
    for query in ["stra", "tering"] {
        let none = workspace.lete(&["search", query]);
        assert_eq!(none.status.code(), Some(1), "{query}: {}", stdout(&none));
    }
}

/// The last trial's fourth finding: `handtere` (nynorsk) and `håndtere` (bokmål) were not
/// paired, and the nynorsk word ranked the bokmål report first. Now the nynorsk document
/// that has the word comes first, and the bokmål one follows with the word's counterpart;
/// a bokmål query word still finds both.
#[test]
fn r15_a_nynorsk_word_ranks_the_nynorsk_document_first() {
    let workspace = plans_folder();
    let hits = search_jsonl(&workspace, &["--explain", "handtere"]);
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert_eq!(hits[0].lang, "nn", "{hits:?}");
    assert_eq!(matched_as(&hits[1]), (Some("nynorsk"), Some("håndtere")));
    let hits = search_jsonl(&workspace, &["--explain", "håndtere"]);
    assert_eq!(hits[0].lang, "nb", "{hits:?}");
    assert_eq!(matched_as(&hits[1]), (Some("nynorsk"), Some("handtere")));
}
