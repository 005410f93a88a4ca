//! One client's connection as hyper reads and writes it: the answers hyper gives on its own
//! (a request it cannot parse, headers too many, a target too long) and the answer to a request
//! whose headers do not come in time carry `{"error": "…"}` like every other error of the
//! server. hyper writes its own with an empty body and sends none at all on a header timeout
//! (the break trial of issues 15 to 20), and has no hook for either: its bytes are replaced on
//! their way out, and the timeout is answered once hyper lets go of the connection.

use super::error::error_json;
use super::limits::{safety_headers, MAX_URI_BYTES};
use axum::http::StatusCode;
use std::future::Future;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

/// A client's stream as hyper uses it. Dropped (hyper is done with it), it hands the stream
/// back, so that a request whose headers did not come in time can still be answered.
pub(crate) struct ClientStream {
    stream: Option<TcpStream>,
    handed_back: Option<oneshot::Sender<Released>>,
    /// Bytes of a request came since the last answer was written: the client began one.
    request_begun: bool,
    /// The JSON answer written in place of one of hyper's own, and the length of hyper's.
    replacing: Option<Replacement>,
    /// How long a write may wait for the client to read before the connection is dropped.
    write_time: Duration,
    /// Since when the write under way has waited, as the time it may still wait.
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

/// The stream hyper let go of, and whether the client had begun a request then.
pub(crate) struct Released {
    stream: TcpStream,
    request_begun: bool,
}

struct Replacement {
    answer: Vec<u8>,
    written: usize,
    replaced: usize,
}

impl ClientStream {
    /// The stream for hyper, and where it comes back when hyper is done with it. A write that
    /// waits `write_time` for the client to read fails, and hyper drops the connection.
    pub(crate) fn new(
        stream: TcpStream,
        write_time: Duration,
    ) -> (ClientStream, oneshot::Receiver<Released>) {
        let (handed_back, released) = oneshot::channel();
        let client = ClientStream {
            stream: Some(stream),
            handed_back: Some(handed_back),
            request_begun: false,
            replacing: None,
            write_time,
            stalled: None,
        };
        (client, released)
    }

    /// `written`, or an error once writes have waited `write_time` for the client: a client
    /// that stops reading held its answer in the server's memory for as long as it kept the
    /// connection open (break trial of session 27: 200 such clients held 800 MB).
    fn within_write_time<T>(
        &mut self,
        cx: &mut Context<'_>,
        written: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if written.is_ready() {
            self.stalled = None;
            return written;
        }
        let write_time = self.write_time;
        let stalled = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(write_time)));
        ready!(stalled.as_mut().poll(cx));
        Poll::Ready(Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "the client read none of its answer in time",
        )))
    }

    fn stream(&mut self) -> Pin<&mut TcpStream> {
        // Taken only in drop.
        Pin::new(self.stream.as_mut().expect("the stream until dropped"))
    }

    /// Writes `buf` (hyper's bytes); an answer of hyper's own goes out as its JSON
    /// replacement, which hyper is told it wrote as it was.
    fn write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if self.replacing.is_none() {
            if let Some(answer) = replacement_for(buf) {
                self.replacing = Some(answer);
            }
        }
        let Some(replacement) = self.replacing.as_mut() else {
            let written = ready!(Pin::new(self.stream.as_mut().expect("open")).poll_write(cx, buf));
            if written.is_ok() {
                self.request_begun = false;
            }
            return Poll::Ready(written);
        };
        // hyper asks again with the same bytes until told they are written.
        while replacement.written < replacement.answer.len() {
            let rest = &replacement.answer[replacement.written..];
            let stream = Pin::new(self.stream.as_mut().expect("open"));
            match ready!(stream.poll_write(cx, rest)) {
                Ok(0) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Ok(n) => replacement.written += n,
                Err(err) => return Poll::Ready(Err(err)),
            }
        }
        let replaced = replacement.replaced;
        self.replacing = None;
        self.request_begun = false;
        Poll::Ready(Ok(replaced))
    }
}

impl AsyncRead for ClientStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        ready!(self.stream().poll_read(cx, buf))?;
        if buf.filled().len() > before {
            self.request_begun = true;
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for ClientStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let written = self.write(cx, buf);
        self.within_write_time(cx, written)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        // An answer's head comes first and whole in its own slice; the body, if any, after.
        let written = match bufs.iter().find(|buf| !buf.is_empty()) {
            Some(first) if self.replacing.is_some() || replacement_for(first).is_some() => {
                self.write(cx, first)
            }
            _ => match self.stream().poll_write_vectored(cx, bufs) {
                Poll::Ready(written) => {
                    if written.is_ok() {
                        self.request_begun = false;
                    }
                    Poll::Ready(written)
                }
                Poll::Pending => Poll::Pending,
            },
        };
        self.within_write_time(cx, written)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.as_ref().is_some_and(|s| s.is_write_vectored())
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.stream().poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.stream().poll_shutdown(cx)
    }
}

impl Drop for ClientStream {
    fn drop(&mut self) {
        if let (Some(stream), Some(handed_back)) = (self.stream.take(), self.handed_back.take()) {
            // Nobody waits for it when the connection ended well: then it just closes.
            let _ = handed_back.send(Released {
                stream,
                request_begun: self.request_begun,
            });
        }
    }
}

/// After hyper gave up on a client's headers (`header_time` passed): a client that began a
/// request is told so; an idle kept-alive connection just closes (an answer there could be
/// taken as the answer to a request the client sends at that moment).
pub(crate) async fn answer_header_timeout(released: Released, header_time: Duration) {
    if !released.request_begun {
        return;
    }
    let message = format!(
        "the request's line and headers did not all come within {}; send the whole request at once",
        super::limits::seconds(header_time)
    );
    let answer = json_answer(StatusCode::REQUEST_TIMEOUT, &message);
    // A client that does not read holds nothing for longer than it had for its headers.
    let _ = tokio::time::timeout(header_time, write_all(&released.stream, &answer)).await;
}

/// After hyper found the HTTP/2 preface where a request should begin (hyper, built for
/// HTTP/1.1 only, closed such a connection without a byte: session 25's trial). An answer in
/// HTTP/1.1, JSON or not, is no answer to an HTTP/2 client: it would read it as a broken
/// frame. The client is told in its own protocol: the server's (empty) SETTINGS, which must
/// come first, then GOAWAY with HTTP_1_1_REQUIRED (RFC 9113, 7), the code for "ask again in
/// HTTP/1.1", whose debug data holds the error as JSON. No stream was begun: the last one is 0.
pub(crate) async fn answer_http2(released: Released, header_time: Duration) {
    let message = "lete serve speaks HTTP/1.1 only; send the request in HTTP/1.1";
    let answer = http2_goaway(&error_json(message));
    let mut stream = released.stream;
    let told = async {
        write_all(&stream, &answer).await?;
        std::future::poll_fn(|cx| Pin::new(&mut stream).poll_shutdown(cx)).await?;
        // The rest of the client's preface is read and dropped: a socket closed with bytes
        // unread is reset, and a reset can discard the answer before the client reads it.
        let mut unread = [0u8; 1024];
        loop {
            stream.readable().await?;
            match stream.try_read(&mut unread) {
                Ok(0) => return io::Result::Ok(()),
                Ok(_) => {}
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => {}
                Err(err) => return Err(err),
            }
        }
    };
    let _ = tokio::time::timeout(header_time, told).await;
}

/// A connection past the [`MAX_OPEN_CONNECTIONS`](super::limits::MAX_OPEN_CONNECTIONS) kept
/// open: told so, for at most `write_time`, and closed.
pub(crate) async fn refuse_connection(stream: TcpStream, write_time: Duration) {
    let message = format!(
        "the server has {} connections open, the most it keeps; try again shortly",
        super::limits::MAX_OPEN_CONNECTIONS
    );
    let answer = json_answer(StatusCode::SERVICE_UNAVAILABLE, &message);
    let _ = tokio::time::timeout(write_time, write_all(&stream, &answer)).await;
}

/// HTTP_1_1_REQUIRED, an HTTP/2 error code (RFC 9113, 7).
const HTTP_1_1_REQUIRED: u32 = 0xd;

/// An empty SETTINGS frame and a GOAWAY frame with HTTP_1_1_REQUIRED and `debug` (RFC 9113,
/// 4.1: length, type, flags, stream 0; 6.5 and 6.8).
fn http2_goaway(debug: &[u8]) -> Vec<u8> {
    let frame = |kind: u8, payload: &[u8]| {
        let length = u32::try_from(payload.len()).expect("a short payload");
        let mut frame = length.to_be_bytes()[1..].to_vec();
        frame.extend_from_slice(&[kind, 0, 0, 0, 0, 0]);
        frame.extend_from_slice(payload);
        frame
    };
    let mut goaway = 0u32.to_be_bytes().to_vec();
    goaway.extend_from_slice(&HTTP_1_1_REQUIRED.to_be_bytes());
    goaway.extend_from_slice(debug);
    let mut frames = frame(0x4, &[]);
    frames.extend(frame(0x7, &goaway));
    frames
}

async fn write_all(stream: &TcpStream, mut bytes: &[u8]) -> io::Result<()> {
    while !bytes.is_empty() {
        stream.writable().await?;
        match stream.try_write(bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {}
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

/// The JSON answer to put in place of `head`, if it is one of hyper's own: an error status
/// with an empty body (every answer of the server's own has a body). The whole head comes
/// in one write: hyper writes its own answers from one buffer.
fn replacement_for(head: &[u8]) -> Option<Replacement> {
    let end = head.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let text = std::str::from_utf8(&head[..end]).ok()?;
    let mut lines = text.split("\r\n");
    let status = lines.next()?.strip_prefix("HTTP/1.")?.get(2..5)?;
    let status = StatusCode::from_bytes(status.as_bytes()).ok()?;
    let empty = lines.any(|line| line.eq_ignore_ascii_case("content-length: 0"));
    if !(empty && (status.is_client_error() || status.is_server_error())) {
        return None;
    }
    Some(Replacement {
        answer: json_answer(status, &message_for(status)),
        written: 0,
        replaced: end,
    })
}

/// The one-line message for an answer hyper gives on its own.
fn message_for(status: StatusCode) -> String {
    match status {
        StatusCode::BAD_REQUEST => {
            "the request is not well-formed HTTP/1.1 (its request line or a header); \
             send GET PATH HTTP/1.1 with a Host header"
                .to_string()
        }
        StatusCode::URI_TOO_LONG => {
            format!("the request is longer than {MAX_URI_BYTES} bytes; shorten the query")
        }
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
            "the request's headers are too many or too large; send fewer or shorter ones"
                .to_string()
        }
        other => other
            .canonical_reason()
            .unwrap_or("the request cannot be answered")
            .to_lowercase(),
    }
}

/// A whole answer with `status` and `{"error": message}` that closes the connection, with
/// the headers every answer of the server carries.
fn json_answer(status: StatusCode, message: &str) -> Vec<u8> {
    let body = error_json(message);
    let mut answer = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n",
        body.len()
    );
    for (name, value) in safety_headers() {
        answer.push_str(&format!("{name}: {value}\r\n"));
    }
    answer.push_str("\r\n");
    let mut answer = answer.into_bytes();
    answer.extend_from_slice(&body);
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client that never reads its answer: the writes fail once they have waited the write
    /// time, and the connection's memory goes with it (break trial of session 27).
    #[test]
    fn r20_a_write_the_client_does_not_read_fails_after_the_write_time() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            // Connected, and never read from.
            let _client = TcpStream::connect(addr).await.unwrap();
            let (server_side, _) = listener.accept().await.unwrap();
            let (mut stream, _released) =
                ClientStream::new(server_side, Duration::from_millis(200));
            let answer = vec![b'x'; 64 << 20];
            let started = std::time::Instant::now();
            let write_all = async {
                let mut rest: &[u8] = &answer;
                while !rest.is_empty() {
                    let n = std::future::poll_fn(|cx| Pin::new(&mut stream).poll_write(cx, rest))
                        .await?;
                    rest = &rest[n..];
                }
                io::Result::Ok(())
            };
            let written = tokio::time::timeout(Duration::from_secs(30), write_all)
                .await
                .expect("the write gives up rather than wait for the client forever");
            let err = written.expect_err("64 MB cannot all be written to a client that reads none");
            assert_eq!(err.kind(), io::ErrorKind::TimedOut);
            assert!(started.elapsed() < Duration::from_secs(10));
        });
    }

    fn body_of(answer: &[u8]) -> serde_json::Value {
        let text = std::str::from_utf8(answer).unwrap();
        let (_, body) = text.split_once("\r\n\r\n").unwrap();
        serde_json::from_str(body).unwrap()
    }

    #[test]
    fn hypers_own_empty_error_answers_are_replaced_by_json() {
        let head = b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\n\
                     content-length: 0\r\ndate: Fri, 27 Nov 2026 18:49:38 GMT\r\n\r\n";
        let replacement = replacement_for(head).expect("replaced");
        assert_eq!(replacement.replaced, head.len());
        let answer = String::from_utf8(replacement.answer.clone()).unwrap();
        assert!(answer.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        assert!(answer.contains("\r\ncontent-type: application/json\r\n"));
        assert!(answer.contains("\r\nx-content-type-options: nosniff\r\n"));
        let body = body_of(&replacement.answer);
        assert_eq!(
            body,
            serde_json::json!({"error": "the request's headers are too many or too large; send fewer or shorter ones"})
        );
        let length = format!("content-length: {}\r\n", body.to_string().len());
        assert!(answer.contains(&length), "{answer}");
    }

    #[test]
    fn the_servers_own_answers_pass_unchanged() {
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert!(replacement_for(ok).is_none());
        let with_body = b"HTTP/1.1 404 Not Found\r\ncontent-length: 26\r\n\r\n";
        assert!(replacement_for(with_body).is_none());
        let body_bytes = b"{\"error\":\"HTTP/1.1 400 \"}";
        assert!(replacement_for(body_bytes).is_none());
        let half_a_head = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n";
        assert!(replacement_for(half_a_head).is_none());
    }

    #[test]
    fn an_http2_client_is_told_in_http2_to_use_http1() {
        let frames = http2_goaway(b"{}");
        assert_eq!(&frames[..9], [0, 0, 0, 4, 0, 0, 0, 0, 0], "empty SETTINGS");
        assert_eq!(
            &frames[9..],
            [0, 0, 10, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xd, b'{', b'}'],
            "GOAWAY, last stream 0, HTTP_1_1_REQUIRED"
        );
    }

    #[test]
    fn every_message_is_one_line() {
        for status in [400, 408, 414, 431, 505] {
            let status = StatusCode::from_u16(status).unwrap();
            let message = message_for(status);
            assert!(!message.is_empty() && !message.contains('\n'), "{message}");
        }
    }
}
