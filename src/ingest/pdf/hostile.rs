//! Refuses a PDF whose structure would take the extractor down before it is handed over
//! (found in the break trial of issues 15 to 20): an outline (bookmarks) or a form that
//! refers back to itself makes lopdf's and pdf-extract's recursive walks overflow the stack,
//! which aborts the whole process (no panic to catch), and a stream that inflates to
//! gigabytes is inflated whole. Each walk here is iterative and bounded.

use super::IngestError;
use pdf_extract::content::Content;
use pdf_extract::{Dictionary, Document, Object, ObjectId, ObjectStream, Stream};
use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Write;

/// Deepest outline or chain of forms drawing forms that is read: real documents nest a few
/// levels; the extractor's recursion must stay far from the end of a thread's stack.
const MAX_NESTING: usize = 32;
/// Most bytes one compressed stream may inflate to: a page's content is a few MB at most.
/// The extractor holds a stream's bytes and its parsed operators (a 1.5 GB stream of blanks,
/// 1.5 MB compressed, took 3.1 GB).
const STREAM_LIMIT_BYTES: u64 = 64 << 20;
/// Most bytes of drawing instructions one page may have in all, each of its content streams
/// counted as often as the page lists it. The extractor holds some 40 bytes per byte of a
/// page's content (10 MB of text operators took 415 MB), and one small stream listed 50 times
/// in a page's `/Contents` took 2 GB and aborted the run (break trial of issues 14 to 20). A
/// page of text has tens of KB; a page of vector drawing a few MB.
const PAGE_CONTENT_LIMIT_BYTES: u64 = 8 << 20;
/// An image is inflated whole too when it is drawn; a page scanned in colour at 600 dpi is
/// some 100 MB.
const IMAGE_LIMIT_BYTES: u64 = 256 << 20;
/// Deepest nesting of saved graphics states (`q` … `Q`) a page's content may have. The PDF
/// standard's own limit is 28; the extractor keeps a copy of the state per level (some 1.7 KB:
/// 500,000 levels, 1 MB of content, took 860 MB).
const MAX_SAVED_STATES: usize = 1_000;

/// The mark [`bound_object_streams`] leaves on an object stream it emptied.
const REFUSED_MARK: &[u8] = b"LeteRefusedPastTheLimit";

/// The loader's object filter (`LoadOptions::filter`): lopdf inflates an object stream
/// (`/Type /ObjStm`, which holds other objects) while it loads the file, before [`check`] can
/// look at it, so one past the bound is emptied here and marked for [`check`] to refuse the
/// file (found in the trial of issues 15 to 20: a 1.5 MB PDF whose object stream inflated to
/// 1.5 GB took 1.6 GB while loading).
///
/// lopdf keeps a file's own object as the filter leaves it and ignores what the filter
/// returns, but keeps what it returns for an object read out of an object stream (never a
/// stream itself); returning the object for the one and `Null` for the other follows that.
pub(super) fn bound_object_streams(
    id: ObjectId,
    object: &mut Object,
) -> Option<(ObjectId, Object)> {
    let Object::Stream(stream) = object else {
        return Some((id, object.clone()));
    };
    if stream.dict.has_type(b"ObjStm") {
        empty_past_the_bound(stream);
    }
    Some((id, Object::Null))
}

/// Empties an object stream that decodes past the bound, and marks it for [`check`] to refuse
/// the file; returns whether it did.
fn empty_past_the_bound(stream: &mut Stream) -> bool {
    let filters = stream.filters().unwrap_or_default();
    let refusal = if predictor_row_bytes(params(stream)) > STREAM_LIMIT_BYTES {
        rows_past(STREAM_LIMIT_BYTES)
    } else if decoded_size(stream, &filters, STREAM_LIMIT_BYTES) > STREAM_LIMIT_BYTES {
        inflates_past(STREAM_LIMIT_BYTES)
    } else {
        return false;
    };
    // The predictor's rows are allocated before a byte is read: its parameters go too.
    stream.content.clear();
    stream.dict.remove(b"DecodeParms");
    let reason = refusal.to_string();
    stream
        .dict
        .set(REFUSED_MARK, Object::string_literal(reason.into_bytes()));
    true
}

/// The names an encrypted file's object streams' filters are held under while lopdf loads
/// it: the first letter in lower case, a filter lopdf does not know (it leaves the stream as
/// it is), of the same length (the file's offsets stay right).
const HELD_FILTERS: [(&[u8], &[u8]); 3] = [
    (b"FlateDecode", b"flateDecode"),
    (b"LZWDecode", b"lZWDecode"),
    (b"ASCII85Decode", b"aSCII85Decode"),
];

/// lopdf loads an encrypted file by a path of its own that takes no object filter and
/// inflates each object stream whole (found in the break trial of issue 15: a 67 KB file whose
/// object stream held 65 MB of blanks took 256 MB and 8.5 s, and more takes more). Returns the
/// file's bytes with every object stream's filters held (renamed, see [`HELD_FILTERS`]) when
/// the file names `/Encrypt` and has object streams; [`expand_held_object_streams`] bounds
/// and expands them after the load.
pub(super) fn hold_encrypted_object_streams(bytes: &[u8]) -> Option<Vec<u8>> {
    find(bytes, b"/Encrypt")?;
    let mut held: Option<Vec<u8>> = None;
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], b"/ObjStm").map(|found| found + from) {
        from = at + b"/ObjStm".len();
        let object_start = rfind(&bytes[..at], b"obj").unwrap_or(0);
        let Some(keyword) = find(&bytes[at..], b"stream").map(|found| found + at) else {
            continue;
        };
        let out = held.get_or_insert_with(|| bytes.to_vec());
        for (name, held_name) in HELD_FILTERS {
            let mut search = object_start;
            while let Some(place) = find(&out[search..keyword], name).map(|found| found + search) {
                if out[place - 1] == b'/' {
                    out[place..place + name.len()].copy_from_slice(held_name);
                }
                search = place + name.len();
            }
        }
    }
    held
}

/// After a load of [`hold_encrypted_object_streams`]' bytes: gives each held object stream its
/// filters back, empties and marks one past the bound as [`bound_object_streams`] does (so
/// that [`check`] refuses the file), and adds the objects of the others, as lopdf would have
/// (an object already loaded is not replaced).
pub(super) fn expand_held_object_streams(document: &mut Document) {
    let mut found = Vec::new();
    for object in document.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if !stream.dict.has_type(b"ObjStm") || !release_filters(&mut stream.dict) {
            continue;
        }
        if empty_past_the_bound(stream) {
            continue;
        }
        if let Ok(objects) = ObjectStream::new(&mut stream.clone()) {
            found.extend(objects.objects);
        }
    }
    for (id, object) in found {
        document.objects.entry(id).or_insert(object);
    }
}

/// Gives a held filter (or each in an array of filters) its name back; returns whether one
/// was held.
fn release_filters(dict: &mut Dictionary) -> bool {
    let release = |object: &mut Object| match object {
        Object::Name(name) => match HELD_FILTERS.iter().find(|(_, held)| held == name) {
            Some((original, _)) => {
                *name = original.to_vec();
                true
            }
            None => false,
        },
        _ => false,
    };
    match dict.get_mut(b"Filter") {
        Ok(Object::Array(filters)) => filters.iter_mut().map(release).fold(false, |a, b| a | b),
        Ok(filter) => release(filter),
        Err(_) => false,
    }
}

/// Bytes of one row of the PNG or TIFF predictor `params` name (Columns × Colors × bytes per
/// component, as lopdf reckons them), 0 without one. lopdf allocates two such rows before it
/// reads the stream: `/Columns 2000000000` took 4 GB and 90 s and then read nothing (break
/// trial of issue 15). Saturates rather than overflows.
fn predictor_row_bytes(params: Option<&Dictionary>) -> u64 {
    let Some(params) = params else {
        return 0;
    };
    let number = |key: &[u8], default: i64, least: i64| {
        let value = params.get(key).and_then(Object::as_i64).unwrap_or(default);
        // lopdf casts the value to usize: a negative one is counted as it would wrap.
        value.max(least) as u64
    };
    if number(b"Predictor", 1, 1) < 2 {
        return 0;
    }
    let bytes_per_pixel =
        number(b"Colors", 1, 1).saturating_mul(number(b"BitsPerComponent", 8, 8)) / 8;
    number(b"Columns", 1, 1).saturating_mul(bytes_per_pixel)
}

/// A stream's decoding parameters (one dictionary for all its filters, as lopdf reads them).
fn params(stream: &Stream) -> Option<&Dictionary> {
    stream
        .dict
        .get(b"DecodeParms")
        .and_then(Object::as_dict)
        .ok()
}

/// The filters lopdf decodes, by name.
const DECODED_FILTERS: [&[u8]; 3] = [b"FlateDecode", b"LZWDecode", b"ASCII85Decode"];

/// Refuses a file whose cross-reference stream (`/Type /XRef`) inflates past the bound:
/// lopdf inflates it first thing while it loads the file, before any object filter or check
/// (found in the trial of issues 15 to 20: a 1.5 MB PDF took 1.6 GB). The file's bytes are
/// scanned for the `/XRef` name, and the stream after it is measured with the filters its
/// dictionary names, in their order.
pub(super) fn check_xref_streams(bytes: &[u8]) -> Result<(), IngestError> {
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], b"/XRef").map(|found| found + from) {
        from = at + b"/XRef".len();
        // `/XRefStm`, a trailer's key, is another name.
        if bytes.get(from).is_some_and(u8::is_ascii_alphanumeric) {
            continue;
        }
        let Some(RawStream {
            filters,
            dictionary,
            content,
        }) = stream_after(bytes, at)
        else {
            continue;
        };
        if predictor_row_bytes(Some(&raw_params(dictionary))) > STREAM_LIMIT_BYTES {
            return Err(rows_past(STREAM_LIMIT_BYTES));
        }
        if content_decoded_size(content, None, &filters, STREAM_LIMIT_BYTES) > STREAM_LIMIT_BYTES {
            return Err(inflates_past(STREAM_LIMIT_BYTES));
        }
    }
    Ok(())
}

/// The filters named in the dictionary around `at` (from the `obj` before it to the `stream`
/// keyword after it), in their order, and the stream's content up to `endstream`.
fn stream_after(bytes: &[u8], at: usize) -> Option<RawStream<'_>> {
    let object_start = rfind(&bytes[..at], b"obj").unwrap_or(0);
    let keyword = find(&bytes[at..], b"stream")? + at;
    let dictionary = &bytes[object_start..keyword];
    let mut filters: Vec<(usize, &'static [u8])> = DECODED_FILTERS
        .iter()
        .filter_map(|&name| find(dictionary, name).map(|place| (place, name)))
        .collect();
    filters.sort_unstable();
    let mut start = keyword + b"stream".len();
    if bytes.get(start) == Some(&b'\r') {
        start += 1;
    }
    if bytes.get(start) == Some(&b'\n') {
        start += 1;
    }
    let rest = bytes.get(start..)?;
    let end = find(rest, b"endstream").unwrap_or(rest.len());
    Some(RawStream {
        filters: filters.into_iter().map(|(_, name)| name).collect(),
        dictionary,
        content: &rest[..end],
    })
}

/// A stream as it stands in a file's bytes.
struct RawStream<'a> {
    /// The filters lopdf decodes, in their order.
    filters: Vec<&'static [u8]>,
    /// From the `obj` keyword to the `stream` keyword.
    dictionary: &'a [u8],
    content: &'a [u8],
}

/// The predictor's parameters as they stand in a stream dictionary's bytes (the integer
/// after each name), for a stream read before the file is parsed.
fn raw_params(dictionary: &[u8]) -> Dictionary {
    let mut params = Dictionary::new();
    for key in [
        &b"Predictor"[..],
        b"Columns",
        b"Colors",
        b"BitsPerComponent",
    ] {
        let name = [b"/", key].concat();
        let Some(at) = find(dictionary, &name) else {
            continue;
        };
        let after = &dictionary[at + name.len()..];
        let digits: Vec<u8> = after
            .iter()
            .skip_while(|b| b.is_ascii_whitespace())
            .take_while(|b| b.is_ascii_digit() || **b == b'-')
            .copied()
            .collect();
        // A number past i64 is as good as the largest.
        let value = std::str::from_utf8(&digits)
            .ok()
            .and_then(|text| text.parse::<i64>().ok())
            .unwrap_or(if digits.is_empty() { 0 } else { i64::MAX });
        if !digits.is_empty() {
            params.set(key.to_vec(), Object::Integer(value));
        }
    }
    params
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

/// Why `document` is refused before extraction, if it is.
pub(super) fn check(document: &Document) -> Result<(), IngestError> {
    check_streams(document, STREAM_LIMIT_BYTES)?;
    check_page_contents(document, PAGE_CONTENT_LIMIT_BYTES)?;
    check_saved_states(document)?;
    if !outline_is_a_tree(document) {
        return Err(refused(&format!(
            "its outline (bookmarks) refers back to itself or nests more than {MAX_NESTING} deep"
        )));
    }
    if !forms_are_a_tree(document) {
        return Err(refused(&format!(
            "a form on its pages draws itself or forms nest more than {MAX_NESTING} deep"
        )));
    }
    if !page_tree_is_a_tree(document) {
        return Err(refused("its page tree refers back to itself"));
    }
    Ok(())
}

/// Why a PDF none of whose pages has text is damaged rather than a scan, if it is: its page
/// tree names no page, or a page's content stream is not there to read (the loader drops a
/// stream whose `/Length` is wrong, and its page then draws nothing). Such files were skipped
/// as having no text layer, with advice to run OCR (session 26).
pub(super) fn damage_hiding_text(document: &Document) -> Option<IngestError> {
    let pages = document.get_pages();
    if pages.is_empty() {
        return Some(refused("its page tree names no page"));
    }
    for (number, page) in pages {
        let lost = content_references(document, page)
            .into_iter()
            .find(|id| !matches!(document.objects.get(id), Some(Object::Stream(_))));
        if let Some((object, generation)) = lost {
            return Some(refused(&format!(
                "the content of page {number} ({object} {generation} R) cannot be read (a wrong \
                 /Length?)"
            )));
        }
    }
    None
}

/// The objects a page's `/Contents` names, as it names them: lopdf's own lookup follows a
/// name that is no stream further and drops it (a stream whose `/Length` is wrong is loaded
/// as its dictionary alone).
fn content_references(document: &Document, page: ObjectId) -> Vec<ObjectId> {
    let contents = document
        .get_dictionary(page)
        .and_then(|page| page.get(b"Contents"));
    match contents {
        Ok(Object::Reference(id)) => vec![*id],
        Ok(Object::Array(items)) => items
            .iter()
            .filter_map(|item| item.as_reference().ok())
            .collect(),
        _ => Vec::new(),
    }
}

/// No node of the page tree lists itself or an ancestor among its `Kids`: lopdf's walk of
/// such a tree yields the same pages again and again up to its bound, or none (a file was
/// skipped as having no text layer: session 26). Iterative; each node is followed once.
fn page_tree_is_a_tree(document: &Document) -> bool {
    let Ok(root) = document.catalog().and_then(|catalog| catalog.get(b"Pages")) else {
        return true;
    };
    let mut seen = HashSet::new();
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        let Some((id, node)) = dictionary(document, node) else {
            continue;
        };
        let Ok(kids) = node.get_deref(b"Kids", document).and_then(Object::as_array) else {
            continue;
        };
        if id.is_some_and(|id| !seen.insert(id)) {
            return false;
        }
        pending.extend(kids);
    }
    true
}

fn refused(reason: &str) -> IngestError {
    IngestError::Unreadable(format!("damaged PDF: {reason}"))
}

fn rows_past(limit: u64) -> IngestError {
    refused(&format!(
        "a stream's predictor rows are longer than {} MB",
        limit >> 20
    ))
}

fn inflates_past(limit: u64) -> IngestError {
    refused(&format!(
        "a stream inflates past {} MB (a zip bomb?)",
        limit >> 20
    ))
}

/// Every compressed stream inflates to at most `limit` bytes, and none is compressed twice.
fn check_streams(document: &Document, limit: u64) -> Result<(), IngestError> {
    for object in document.objects.values() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if let Ok(reason) = stream.dict.get(REFUSED_MARK).and_then(Object::as_str) {
            return Err(IngestError::Unreadable(
                String::from_utf8_lossy(reason).into_owned(),
            ));
        }
        let Ok(filters) = stream.filters() else {
            continue;
        };
        let inflating = filters
            .iter()
            .filter(|f| matches!(**f, b"FlateDecode" | b"LZWDecode"))
            .count();
        if inflating > 1 {
            return Err(refused(
                "a stream is compressed more than once (a zip bomb?)",
            ));
        }
        let is_image =
            stream.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(&b"Image"[..]);
        let limit = if is_image {
            limit.max(IMAGE_LIMIT_BYTES)
        } else {
            limit
        };
        if inflating > 0 && predictor_row_bytes(params(stream)) > limit {
            return Err(rows_past(limit));
        }
        if decoded_size(stream, &filters, limit) > limit {
            return Err(inflates_past(limit));
        }
    }
    Ok(())
}

/// Every page's content streams decode to at most `limit` bytes in all, a stream counted as
/// often as the page lists it.
fn check_page_contents(document: &Document, limit: u64) -> Result<(), IngestError> {
    for (number, page) in document.get_pages() {
        let mut total: u64 = 0;
        for id in document.get_page_contents(page) {
            let Ok(Object::Stream(stream)) = document.get_object(id) else {
                continue;
            };
            let left = limit.saturating_sub(total);
            total += match stream.filters() {
                Ok(filters) => decoded_size(stream, &filters, left),
                Err(_) => stream.content.len() as u64,
            };
            if total > limit {
                return Err(refused(&format!(
                    "page {number} draws more than {} MB of content (a content bomb?)",
                    limit >> 20
                )));
            }
        }
    }
    Ok(())
}

/// Bytes `stream` decodes to through its filters, counted up to one past `limit`, for every
/// filter the extractor decodes (lopdf's: Flate, LZW and ASCII85, in any order; found in the
/// trial of issues 15 to 20: only a stream whose first filter was Flate was bounded, and an
/// LZW stream, whose codes stand for up to 4,096 bytes each, was decoded whole). A filter
/// lopdf does not know leaves the stream undecoded.
fn decoded_size(stream: &Stream, filters: &[&[u8]], limit: u64) -> u64 {
    content_decoded_size(&stream.content, params(stream), filters, limit)
}

/// [`decoded_size`] of a stream's `content` and decoding parameters.
fn content_decoded_size(
    content: &[u8],
    params: Option<&Dictionary>,
    filters: &[&[u8]],
    limit: u64,
) -> u64 {
    let mut data = Cow::Borrowed(content);
    for (at, &filter) in filters.iter().enumerate() {
        let last = at + 1 == filters.len();
        let mut sink = BoundedSink::new(limit, !last);
        match filter {
            b"FlateDecode" => inflate(&data, &mut sink),
            b"LZWDecode" => decode_lzw(&data, params, &mut sink),
            b"ASCII85Decode" => decode_ascii85(&data, &mut sink),
            _ => return data.len() as u64,
        }
        if last || sink.total > limit {
            return sink.total;
        }
        data = Cow::Owned(sink.kept);
    }
    data.len() as u64
}

/// Counts the bytes written to it (keeping them when asked) and refuses them past `limit`, so
/// that a decoder writing to it stops there.
struct BoundedSink {
    total: u64,
    limit: u64,
    keep: bool,
    kept: Vec<u8>,
}

impl BoundedSink {
    fn new(limit: u64, keep: bool) -> BoundedSink {
        BoundedSink {
            total: 0,
            limit,
            keep,
            kept: Vec::new(),
        }
    }
}

impl Write for BoundedSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.total += bytes.len() as u64;
        if self.total > self.limit {
            return Err(std::io::Error::other("past the limit"));
        }
        if self.keep {
            self.kept.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Inflates as lopdf does: zlib, and when that gives nothing, raw deflate after the two bytes
/// of the zlib header (a damaged stream counts what inflated before the damage).
fn inflate(compressed: &[u8], sink: &mut BoundedSink) {
    let _ = std::io::copy(&mut flate2::bufread::ZlibDecoder::new(compressed), sink);
    if sink.total == 0 && compressed.len() > 2 {
        let raw = &compressed[2..];
        let _ = std::io::copy(&mut flate2::bufread::DeflateDecoder::new(raw), sink);
    }
}

/// Decodes LZW as lopdf does (weezl, most significant bit first, `EarlyChange` 1 unless the
/// parameters say 0).
fn decode_lzw(compressed: &[u8], params: Option<&Dictionary>, sink: &mut BoundedSink) {
    use weezl::{decode::Decoder, BitOrder};
    const CODE_SIZE: u8 = 8;
    let early_change = params
        .and_then(|params| params.get(b"EarlyChange").ok())
        .and_then(|value| value.as_i64().ok())
        .is_none_or(|value| value != 0);
    let mut decoder = if early_change {
        Decoder::with_tiff_size_switch(BitOrder::Msb, CODE_SIZE)
    } else {
        Decoder::new(BitOrder::Msb, CODE_SIZE)
    };
    let _ = decoder.into_stream(sink).decode_all(compressed);
}

/// ASCII85: each five characters are four bytes, and `z` alone four zero bytes, up to `~>`.
fn decode_ascii85(encoded: &[u8], sink: &mut BoundedSink) {
    let body = encoded.strip_suffix(b"~>").unwrap_or(encoded);
    let mut group = [0u8; 5];
    let mut filled = 0;
    let mut put = |bytes: &[u8]| sink.write_all(bytes).is_ok();
    for &byte in body {
        let more = match byte {
            b'z' if filled == 0 => put(&[0; 4]),
            b'!'..=b'u' => {
                group[filled] = byte - b'!';
                filled += 1;
                if filled < 5 {
                    continue;
                }
                filled = 0;
                put(&ascii85_value(&group).to_be_bytes())
            }
            byte if byte.is_ascii_whitespace() => continue,
            _ => false,
        };
        if !more {
            return;
        }
    }
    if filled > 1 {
        group[filled..].fill(b'u' - b'!');
        put(&ascii85_value(&group).to_be_bytes()[..filled - 1]);
    }
}

fn ascii85_value(group: &[u8; 5]) -> u32 {
    group.iter().fold(0u32, |value, &digit| {
        value.wrapping_mul(85).wrapping_add(u32::from(digit))
    })
}

/// No page's or form's content saves the graphics state more than `MAX_SAVED_STATES` deep.
fn check_saved_states(document: &Document) -> Result<(), IngestError> {
    let pages = document.get_pages().into_values();
    let contents = pages.flat_map(|page| document.get_page_contents(page));
    let forms = document
        .objects
        .keys()
        .copied()
        .filter(|id| is_form(document, *id));
    for id in contents.chain(forms) {
        let Ok(Object::Stream(stream)) = document.get_object(id) else {
            continue;
        };
        let content = stream.get_plain_content().unwrap_or_default();
        if deepest_saved_state(&content) > MAX_SAVED_STATES {
            return Err(refused(&format!(
                "its content saves the graphics state more than {MAX_SAVED_STATES} deep"
            )));
        }
    }
    Ok(())
}

/// The deepest nesting of `q` … `Q` operators in `content`, counted over its words (a `q`
/// inside a string counts too, which only errs on the safe side).
fn deepest_saved_state(content: &[u8]) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for word in content.split(|b| b.is_ascii_whitespace()) {
        match word {
            b"q" => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b"Q" => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The dictionary `object` is or refers to, with its id when it is a reference.
fn dictionary<'a>(
    document: &'a Document,
    object: &'a Object,
) -> Option<(Option<ObjectId>, &'a Dictionary)> {
    match object {
        Object::Reference(id) => document.get_dictionary(*id).ok().map(|d| (Some(*id), d)),
        Object::Dictionary(dictionary) => Some((None, dictionary)),
        _ => None,
    }
}

/// The outline's items (`First` for the children, `Next` for the siblings) form a tree no
/// deeper than `MAX_NESTING`, and so do the named destinations' `Kids`.
fn outline_is_a_tree(document: &Document) -> bool {
    let Ok(catalog) = document.catalog() else {
        return true;
    };
    let mut seen = HashSet::new();
    let mut pending: Vec<(&Object, usize)> = Vec::new();
    pending.extend(catalog.get(b"Outlines").ok().map(|root| (root, 0)));
    pending.extend(catalog.get(b"Dests").ok().map(|root| (root, 0)));
    if let Some((_, names)) = catalog
        .get(b"Names")
        .ok()
        .and_then(|n| dictionary(document, n))
    {
        pending.extend(names.get(b"Dests").ok().map(|root| (root, 0)));
    }
    while let Some((node, depth)) = pending.pop() {
        let Some((id, item)) = dictionary(document, node) else {
            continue;
        };
        if depth > MAX_NESTING || id.is_some_and(|id| !seen.insert(id)) {
            return false;
        }
        pending.extend(item.get(b"First").ok().map(|child| (child, depth + 1)));
        pending.extend(item.get(b"Next").ok().map(|sibling| (sibling, depth)));
        if let Ok(Object::Array(kids)) = item.get(b"Kids") {
            pending.extend(kids.iter().map(|kid| (kid, depth + 1)));
        }
    }
    true
}

/// No form drawn on a page draws itself, directly or through other forms, and forms nest
/// at most `MAX_NESTING` deep. A form is followed through the names its content draws
/// (`/Name Do`), looked up in its own resources or, lacking them, in its caller's, as the
/// extractor does.
fn forms_are_a_tree(document: &Document) -> bool {
    let mut done = HashSet::new();
    for page in document.get_pages().into_values() {
        let Ok((inline, referenced)) = document.get_page_resources(page) else {
            continue;
        };
        let referenced = referenced
            .into_iter()
            .filter_map(|id| document.get_dictionary(id).ok());
        for resources in inline.into_iter().chain(referenced) {
            for form in forms_in(document, resources) {
                if !form_is_a_tree(document, form, resources, &mut done) {
                    return false;
                }
            }
        }
    }
    true
}

/// Walks the forms `form` draws, depth first without recursion.
fn form_is_a_tree<'a>(
    document: &'a Document,
    form: ObjectId,
    resources: &'a Dictionary,
    done: &mut HashSet<(ObjectId, *const Dictionary)>,
) -> bool {
    // Each entry: a form, the resources it draws with, and the forms it draws still to visit.
    let mut path: Vec<(ObjectId, &'a Dictionary, Vec<ObjectId>)> = Vec::new();
    let mut next = Some((form, resources));
    loop {
        if let Some((form, caller)) = next.take() {
            let own = own_resources(document, form).unwrap_or(caller);
            if path.iter().any(|(id, _, _)| *id == form) || path.len() >= MAX_NESTING {
                return false;
            }
            if !done.contains(&(form, std::ptr::from_ref(own))) {
                path.push((form, own, drawn_forms(document, form, own)));
            }
        }
        let Some((form, own, drawn)) = path.last_mut() else {
            return true;
        };
        match drawn.pop() {
            Some(child) => next = Some((child, *own)),
            None => {
                done.insert((*form, std::ptr::from_ref(*own)));
                path.pop();
            }
        }
    }
}

/// The form XObjects that `resources` names.
fn forms_in(document: &Document, resources: &Dictionary) -> Vec<ObjectId> {
    let Some(xobjects) = xobjects(document, resources) else {
        return Vec::new();
    };
    xobjects
        .iter()
        .filter_map(|(_, object)| object.as_reference().ok())
        .filter(|id| is_form(document, *id))
        .collect()
}

/// The XObjects dictionary of `resources`, inline or referred to.
fn xobjects<'a>(document: &'a Document, resources: &'a Dictionary) -> Option<&'a Dictionary> {
    let xobjects = resources.get(b"XObject").ok()?;
    dictionary(document, xobjects).map(|(_, xobjects)| xobjects)
}

fn is_form(document: &Document, id: ObjectId) -> bool {
    matches!(document.get_object(id), Ok(Object::Stream(stream))
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(&b"Form"[..]))
}

fn own_resources(document: &Document, form: ObjectId) -> Option<&Dictionary> {
    let Ok(Object::Stream(stream)) = document.get_object(form) else {
        return None;
    };
    let resources = stream.dict.get(b"Resources").ok()?;
    dictionary(document, resources).map(|(_, resources)| resources)
}

/// The forms the content of `form` draws (`/Name Do`), looked up in `resources`.
fn drawn_forms(document: &Document, form: ObjectId, resources: &Dictionary) -> Vec<ObjectId> {
    let Ok(Object::Stream(stream)) = document.get_object(form) else {
        return Vec::new();
    };
    let Ok(content) = stream.get_plain_content() else {
        return Vec::new();
    };
    let Ok(content) = Content::decode(&content) else {
        return Vec::new();
    };
    let Some(xobjects) = xobjects(document, resources) else {
        return Vec::new();
    };
    content
        .operations
        .iter()
        .filter(|operation| operation.operator == "Do")
        .filter_map(|operation| operation.operands.first()?.as_name().ok())
        .filter_map(|name| xobjects.get(name).ok()?.as_reference().ok())
        .filter(|id| is_form(document, *id))
        .collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::io::Write;

    pub(in crate::ingest::pdf) const PAGE_TEXT: &[u8] =
        b"BT /F1 12 Tf 72 700 Td (Barnevernet i kommunen har lagt fram en ny plan.) Tj ET";

    /// A PDF of `objects` (numbered from 1; object 1 the catalog) with a correct xref table.
    pub(in crate::ingest::pdf) fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (number, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            writeln!(out, "{} 0 obj", number + 1).unwrap();
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        writeln!(out, "xref\n0 {}\n0000000000 65535 f ", objects.len() + 1).unwrap();
        for offset in offsets {
            writeln!(out, "{offset:010} 00000 n ").unwrap();
        }
        let size = objects.len() + 1;
        writeln!(
            out,
            "trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF"
        )
        .unwrap();
        out
    }

    pub(in crate::ingest::pdf) fn stream(dictionary: &str, content: &[u8]) -> Vec<u8> {
        let mut out =
            format!("<< /Length {} {dictionary} >>\nstream\n", content.len()).into_bytes();
        out.extend_from_slice(content);
        out.extend_from_slice(b"\nendstream");
        out
    }

    /// A one-page PDF of lines in the standard fonts or fonts named so (WinAnsi-encoded): each line is its
    /// font (`fonts`' index), size, baseline (from the page's foot) and text.
    pub(in crate::ingest::pdf) fn lines_pdf(
        fonts: &[&str],
        lines: &[(usize, f64, f64, &str)],
    ) -> Vec<u8> {
        let mut content = Vec::new();
        for &(font, size, y, text) in lines {
            write!(content, "BT /F{font} {size} Tf 72 {y} Td (").unwrap();
            for c in text.chars() {
                match c {
                    '(' | ')' | '\\' => content.extend([b'\\', c as u8]),
                    '…' => content.push(0x85),
                    _ => content.push(u8::try_from(u32::from(c)).expect("a Latin-1 character")),
                }
            }
            content.extend_from_slice(b") Tj ET\n");
        }
        let font_refs: String = (0..fonts.len())
            .map(|index| format!("/F{index} {} 0 R ", index + 5))
            .collect();
        let mut objects = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << {font_refs}>> >> /Contents 4 0 R >>").into_bytes(),
            stream("", &content),
        ];
        for font in fonts {
            // A font that is not one of the standard ones needs its widths.
            let widths = if font.starts_with("Helvetica") {
                String::new()
            } else {
                format!(
                    "/FirstChar 32 /LastChar 255 /Widths [{}]",
                    "500 ".repeat(224)
                )
            };
            objects.push(
                format!("<< /Type /Font /Subtype /Type1 /BaseFont /{font} /Encoding /WinAnsiEncoding {widths} >>")
                    .into_bytes(),
            );
        }
        pdf(&objects)
    }

    /// A one-page PDF whose catalog adds `catalog`, whose page's resources add `resources`,
    /// with `more` objects from number 6 on.
    fn one_page(catalog: &str, resources: &str, content: &[u8], more: &[Vec<u8>]) -> Vec<u8> {
        let mut objects = vec![
            format!("<< /Type /Catalog /Pages 2 0 R {catalog} >>").into_bytes(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> {resources} >> /Contents 4 0 R >>").into_bytes(),
            stream("", content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        ];
        objects.extend_from_slice(more);
        pdf(&objects)
    }

    fn refusal(bytes: &[u8]) -> String {
        super::super::read(bytes)
            .map(|_| ())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn r21_an_outline_that_refers_back_to_itself_is_refused_not_a_stack_overflow() {
        let bytes = one_page(
            "/Outlines 6 0 R",
            "",
            PAGE_TEXT,
            &[
                b"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>".to_vec(),
                b"<< /Title (Kapittel) /Parent 6 0 R /First 7 0 R /Next 7 0 R /Dest [3 0 R /Fit] >>".to_vec(),
            ],
        );
        assert_eq!(
            refusal(&bytes),
            "damaged PDF: its outline (bookmarks) refers back to itself or nests more than 32 deep"
        );
    }

    #[test]
    fn r21_a_form_that_draws_itself_is_refused_not_a_stack_overflow() {
        let mut content = PAGE_TEXT.to_vec();
        content.extend_from_slice(b" /X1 Do");
        let form = stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X1 6 0 R >> >>",
            &content,
        );
        let bytes = one_page("", "/XObject << /X1 6 0 R >>", &content, &[form]);
        assert_eq!(
            refusal(&bytes),
            "damaged PDF: a form on its pages draws itself or forms nest more than 32 deep"
        );
        // Without its own resources a form draws with its caller's: the same loop.
        let form = stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 612 792]",
            &content,
        );
        let bytes = one_page("", "/XObject << /X1 6 0 R >>", &content, &[form]);
        assert!(refusal(&bytes).contains("draws itself"));
    }

    #[test]
    fn r21_sound_outlines_and_forms_drawn_twice_pass() {
        let mut content = PAGE_TEXT.to_vec();
        content.extend_from_slice(b" /X1 Do /X1 Do /X2 Do");
        let leaf = stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >>",
            PAGE_TEXT,
        );
        let middle = stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /L 6 0 R >> >>",
            b"/L Do /L Do",
        );
        let bytes = one_page(
            "/Outlines 8 0 R",
            "/XObject << /X1 6 0 R /X2 7 0 R >>",
            &content,
            &[
                leaf,
                middle,
                b"<< /Type /Outlines /First 9 0 R /Last 10 0 R /Count 2 >>".to_vec(),
                b"<< /Title (En) /Parent 8 0 R /Next 10 0 R /Dest [3 0 R /Fit] >>".to_vec(),
                b"<< /Title (To) /Parent 8 0 R /Prev 9 0 R /Dest [3 0 R /Fit] >>".to_vec(),
            ],
        );
        let document = Document::load_mem(&bytes).unwrap();
        assert!(check(&document).is_ok());
        assert!(super::super::read(&bytes).is_ok());
    }

    #[test]
    fn r21_a_stream_that_inflates_past_the_limit_is_refused_before_it_is_inflated() {
        let mut deflater = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        deflater.write_all(PAGE_TEXT).unwrap();
        deflater.write_all(&vec![b' '; 3 << 20]).unwrap();
        let bomb = deflater.finish().unwrap();
        let mut objects = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
        ];
        objects.push(stream("/Filter /FlateDecode", &bomb));
        let document = Document::load_mem(&pdf(&objects)).unwrap();
        let err = check_streams(&document, 1 << 20).unwrap_err();
        assert_eq!(
            err.to_string(),
            "damaged PDF: a stream inflates past 1 MB (a zip bomb?)"
        );
        assert!(check_streams(&document, 4 << 20).is_ok());
        objects[2] = stream("/Filter [/FlateDecode /FlateDecode]", &bomb);
        let document = Document::load_mem(&pdf(&objects)).unwrap();
        assert!(check_streams(&document, 4 << 20)
            .unwrap_err()
            .to_string()
            .contains("compressed more than once"));
    }

    /// A document of one stream of `compressed` bytes under `filters`, checked with a 1 MB
    /// bound.
    fn check_one_stream(filters: &str, compressed: &[u8]) -> Result<(), IngestError> {
        let objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
            stream(filters, compressed),
        ];
        let document = Document::load_mem(&pdf(&objects)).unwrap();
        check_streams(&document, 1 << 20)
    }

    fn lzw(bytes: &[u8], early_change: bool) -> Vec<u8> {
        use weezl::{encode::Encoder, BitOrder};
        let mut encoder = if early_change {
            Encoder::with_tiff_size_switch(BitOrder::Msb, 8)
        } else {
            Encoder::new(BitOrder::Msb, 8)
        };
        encoder.encode(bytes).unwrap()
    }

    /// ASCII85 of `bytes`, as a PDF writer makes it (`z` for four zero bytes).
    fn ascii85(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for chunk in bytes.chunks(4) {
            let mut group = [0u8; 4];
            group[..chunk.len()].copy_from_slice(chunk);
            let mut value = u32::from_be_bytes(group);
            if value == 0 && chunk.len() == 4 {
                out.push(b'z');
                continue;
            }
            let mut digits = [0u8; 5];
            for digit in digits.iter_mut().rev() {
                *digit = (value % 85) as u8 + b'!';
                value /= 85;
            }
            out.extend_from_slice(&digits[..chunk.len() + 1]);
        }
        out.extend_from_slice(b"~>");
        out
    }

    /// A one-page PDF whose page lists its one content stream (`content`, deflated) `times`
    /// times.
    fn page_listing_a_stream(content: &[u8], times: usize) -> Vec<u8> {
        let mut deflater = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        deflater.write_all(content).unwrap();
        let deflated = deflater.finish().unwrap();
        let listed = "4 0 R ".repeat(times);
        pdf(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents [{listed}] >>").into_bytes(),
            stream("/Filter /FlateDecode", &deflated),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        ])
    }

    /// Break trial of issues 14 to 20: a 4 KB PDF whose page listed one 1 MB stream 50 times
    /// took 2 GB, and 200 times aborted the whole run.
    #[test]
    fn a_page_drawing_more_than_its_bound_in_all_is_refused() {
        let mut operators = b"BT /F1 12 Tf 72 720 Td 14 TL ".to_vec();
        while operators.len() < 1 << 20 {
            operators.extend_from_slice(b"(sjiraff kommune barnevern) Tj T* ");
        }
        operators.extend_from_slice(b"ET");
        let bomb = page_listing_a_stream(&operators, 50);
        assert!(bomb.len() < 16 << 10, "{}", bomb.len());
        assert_eq!(
            refusal(&bomb),
            "damaged PDF: page 1 draws more than 8 MB of content (a content bomb?)"
        );
        // The same stream listed a few times is a page like any other.
        let sound = page_listing_a_stream(&operators, 2);
        assert!(super::super::read(&sound).is_ok());
    }

    #[test]
    fn r15_an_lzw_stream_is_bounded_as_a_flate_stream_is() {
        let blanks = vec![b' '; 3 << 20];
        let bomb = lzw(&blanks, true);
        assert!(bomb.len() < 64 << 10, "{}", bomb.len());
        let err = check_one_stream("/Filter /LZWDecode", &bomb).unwrap_err();
        assert_eq!(
            err.to_string(),
            "damaged PDF: a stream inflates past 1 MB (a zip bomb?)"
        );
        let bomb = lzw(&blanks, false);
        let err = check_one_stream(
            "/Filter /LZWDecode /DecodeParms << /EarlyChange 0 >>",
            &bomb,
        );
        assert!(err.unwrap_err().to_string().contains("past 1 MB"));
        // A stream under the bound passes, and counts what lopdf decodes.
        let small = lzw(PAGE_TEXT, true);
        assert!(check_one_stream("/Filter /LZWDecode", &small).is_ok());
        let stream = Stream::new(
            pdf_extract::dictionary! { "Filter" => "LZWDecode" },
            small.clone(),
        );
        assert_eq!(
            decoded_size(&stream, &[b"LZWDecode"], 1 << 20),
            stream.decompressed_content().unwrap().len() as u64
        );
    }

    #[test]
    fn r15_a_bomb_behind_another_filter_or_a_damaged_zlib_header_is_bounded() {
        let mut deflater = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        deflater.write_all(&vec![b' '; 3 << 20]).unwrap();
        let bomb = deflater.finish().unwrap();
        let err = check_one_stream("/Filter [/ASCII85Decode /FlateDecode]", &ascii85(&bomb));
        assert!(err.unwrap_err().to_string().contains("past 1 MB"));
        // lopdf inflates a stream whose zlib header is damaged as raw deflate.
        let mut damaged = bomb.clone();
        damaged[..2].copy_from_slice(b"\xff\xff");
        let err = check_one_stream("/Filter /FlateDecode", &damaged);
        assert!(err.unwrap_err().to_string().contains("past 1 MB"));
        // ASCII85 decodes as lopdf decodes it, `z` groups too.
        let text = [PAGE_TEXT, &[0u8; 8][..], b"slutt"].concat();
        let encoded = ascii85(&text);
        let stream = Stream::new(
            pdf_extract::dictionary! { "Filter" => "ASCII85Decode" },
            encoded,
        );
        assert_eq!(stream.decompressed_content().unwrap(), text);
        assert_eq!(
            decoded_size(&stream, &[b"ASCII85Decode"], 1 << 20),
            text.len() as u64
        );
        let zeros = ascii85(&vec![0u8; 2 << 20]);
        assert!(check_one_stream("/Filter /ASCII85Decode", &zeros).is_err());
    }

    /// A one-page PDF whose font is object 6, inside the object stream 5 whose content is
    /// `objects` (`6 0 ` and the font) and then `padding`, deflated.
    fn page_with_an_object_stream(padding: usize) -> Vec<u8> {
        let font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
        let mut deflater = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        deflater.write_all(b"6 0 ").unwrap();
        deflater.write_all(font).unwrap();
        let spaces = vec![b' '; 1 << 20];
        for _ in 0..padding >> 20 {
            deflater.write_all(&spaces).unwrap();
        }
        let compressed = deflater.finish().unwrap();
        pdf(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 6 0 R >> >> /Contents 4 0 R >>".to_vec(),
            stream("", PAGE_TEXT),
            stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", &compressed),
        ])
    }

    #[test]
    fn r15_an_object_stream_is_bounded_while_the_file_loads() {
        let sound = super::super::read(&page_with_an_object_stream(0)).unwrap();
        let text: Vec<&str> = sound.blocks.iter().map(|b| b.text).collect();
        assert_eq!(text, ["Barnevernet i kommunen har lagt fram en ny plan."]);
        let bomb = page_with_an_object_stream(STREAM_LIMIT_BYTES as usize + (1 << 20));
        assert!(bomb.len() < 1 << 20, "{}", bomb.len());
        assert_eq!(
            refusal(&bomb),
            "damaged PDF: a stream inflates past 64 MB (a zip bomb?)"
        );
    }

    #[test]
    fn r15_an_encrypted_files_object_streams_are_bounded_too() {
        // Made by make-hostile-pdfs.py with qpdf: the font in an object stream, AES-128 with
        // an empty user password; the bomb's object stream also holds 65 MB of blanks.
        let fixture = |name: &str| {
            let path = format!(
                "{}/tests/fixtures/formats/{name}",
                env!("CARGO_MANIFEST_DIR")
            );
            std::fs::read(path).unwrap()
        };
        let sound = super::super::read(&fixture("encrypted-object-stream.pdf")).unwrap();
        let text: Vec<&str> = sound.blocks.iter().map(|b| b.text).collect();
        assert_eq!(text, ["Barnevernet i kommunen har lagt fram en ny plan."]);
        let bomb = fixture("encrypted-object-stream-bomb.pdf");
        assert!(bomb.len() < 100_000, "{}", bomb.len());
        assert_eq!(
            refusal(&bomb),
            "damaged PDF: a stream inflates past 64 MB (a zip bomb?)"
        );
        // A file that only mentions `/Encrypt` keeps its object streams.
        let mut mentions = page_with_an_object_stream(0);
        mentions.extend_from_slice(b"% /Encrypt\n");
        assert!(hold_encrypted_object_streams(&mentions).is_some());
        let read = super::super::read(&mentions).unwrap();
        assert_eq!(
            read.blocks.to_vec()[0].text,
            "Barnevernet i kommunen har lagt fram en ny plan."
        );
    }

    /// A one-page PDF whose cross-reference table is a stream, deflated, with `padding` zero
    /// bytes after its rows. The stream does not list itself, so that nothing but the loader
    /// reads it (the check of loaded streams would refuse it, after the loader took the memory).
    fn page_with_an_xref_stream(padding: usize) -> Vec<u8> {
        page_with_an_xref_stream_and(padding, "")
    }

    /// [`page_with_an_xref_stream`] whose stream dictionary adds `more`.
    fn page_with_an_xref_stream_and(padding: usize, more: &str) -> Vec<u8> {
        let plain = one_page("", "", PAGE_TEXT, &[]);
        let xref_at = find(&plain, b"xref\n").unwrap();
        let mut out = plain[..xref_at].to_vec();
        let mut rows = vec![0u8, 0, 0, 0, 0, 0xff];
        for number in 1..=5 {
            let offset = find(&out, format!("\n{number} 0 obj").as_bytes()).unwrap() + 1;
            rows.push(1);
            rows.extend_from_slice(&u32::try_from(offset).unwrap().to_be_bytes());
            rows.push(0);
        }
        let mut deflater = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        deflater.write_all(&rows).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..padding >> 20 {
            deflater.write_all(&zeros).unwrap();
        }
        let compressed = deflater.finish().unwrap();
        out.extend_from_slice(b"6 0 obj\n");
        out.extend_from_slice(&stream(
            &format!("/Type /XRef /Size 6 /W [1 4 1] /Root 1 0 R /Filter /FlateDecode {more}"),
            &compressed,
        ));
        out.extend_from_slice(format!("\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
        out
    }

    #[test]
    fn r15_a_cross_reference_stream_is_bounded_before_the_file_loads() {
        let sound = super::super::read(&page_with_an_xref_stream(0)).unwrap();
        assert_eq!(
            sound.blocks.to_vec()[0].text,
            "Barnevernet i kommunen har lagt fram en ny plan."
        );
        let bomb = page_with_an_xref_stream(STREAM_LIMIT_BYTES as usize + (1 << 20));
        assert!(bomb.len() < 1 << 20, "{}", bomb.len());
        assert_eq!(
            refusal(&bomb),
            "damaged PDF: a stream inflates past 64 MB (a zip bomb?)"
        );
    }

    fn deflated(bytes: &[u8]) -> Vec<u8> {
        let mut deflater = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        deflater.write_all(bytes).unwrap();
        deflater.finish().unwrap()
    }

    #[test]
    fn r15_predictor_rows_past_the_bound_are_refused_not_allocated() {
        // lopdf allocates two rows of Columns × Colors × bytes per component before it reads
        // a byte: 2,000,000,000 columns took 4 GB.
        let content = deflated(PAGE_TEXT);
        for params in [
            "/Predictor 12 /Columns 2000000000",
            "/Predictor 12 /Columns 2000000000 /Colors 2000000000 /BitsPerComponent 16",
        ] {
            let bytes = pdf(&[
                b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
                stream(&format!("/Filter /FlateDecode /DecodeParms << {params} >>"), &content),
                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
            ]);
            assert_eq!(
                refusal(&bytes),
                "damaged PDF: a stream's predictor rows are longer than 64 MB",
                "{params}"
            );
        }
        let bomb =
            page_with_an_xref_stream_and(0, "/DecodeParms << /Predictor 12 /Columns 2000000000 >>");
        assert_eq!(
            refusal(&bomb),
            "damaged PDF: a stream's predictor rows are longer than 64 MB"
        );
    }

    #[test]
    fn r21_graphics_states_saved_thousands_deep_are_refused() {
        let mut content = b"q ".repeat(5_000);
        content.extend_from_slice(PAGE_TEXT);
        content.extend_from_slice(&b" Q".repeat(5_000));
        assert_eq!(
            refusal(&one_page("", "", &content, &[])),
            "damaged PDF: its content saves the graphics state more than 1000 deep"
        );
        assert_eq!(deepest_saved_state(b"q 1 0 0 1 0 0 cm q BT ET Q Q q Q"), 2);
    }
}
