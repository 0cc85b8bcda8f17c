//! A scripted HTTP/1.1 server on 127.0.0.1 for tests of a client that talks HTTP (the CLI):
//! it answers each request from a list of canned [`Response`]s or from a closure, and records
//! every request (request line, method, path, headers, body) **before** it answers, so a test
//! that waits for the client to exit finds the request recorded.
//!
//! ```no_run
//! use cognito_auth_testkit::scripted_server::{Response, ScriptedServer};
//! use serde_json::json;
//!
//! let server = ScriptedServer::script(vec![
//!     Response::json(400, &json!({ "__type": "NotAuthorizedException" })),
//! ]);
//! // ... run the client against server.url() ...
//! let seen = server.requests();
//! assert_eq!(seen[0].operation(), Some("InitiateAuth"));
//! // The server stops when `server` is dropped.
//! ```
//!
//! One request per connection: every answer says `Connection: close`, with a
//! `Content-Length` and `Content-Type: application/x-amz-json-1.1` unless the response names
//! its own `Content-Type`. Each read waits at most [`READ_TIMEOUT`]; a request with more than
//! [`MAX_HEADERS`] header lines or a body over [`MAX_BODY`] bytes, or one that cannot be parsed,
//! is dropped unanswered and unrecorded. The accept loop polls a stop flag that `Drop` sets, then
//! joins the thread.

use alloc::sync::Arc;
use core::net::Ipv4Addr;
use core::sync::atomic::{AtomicBool, Ordering};
use core::time::Duration;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::Mutex;
use std::thread::JoinHandle;

use serde_json::Value;

/// How long the server waits for each read of a request.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The most header lines a request may have.
pub const MAX_HEADERS: usize = 100;
/// The largest request body accepted, in bytes.
pub const MAX_BODY: usize = 1 << 20;
/// How long the accept loop sleeps when no connection is waiting.
const POLL: Duration = Duration::from_millis(5);
/// The `X-Amz-Target` prefix of the Cognito user-pool operations.
const COGNITO_IDP_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Request {
    /// The request line without its line end, e.g. `POST / HTTP/1.1` or
    /// `CONNECT host:443 HTTP/1.1`.
    pub request_line: String,
    /// The method, e.g. `POST`.
    pub method: String,
    /// The request target, e.g. `/` or `host:443`.
    pub path: String,
    /// The headers in the order sent, names as sent, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body (read by `Content-Length`), as text: invalid UTF-8 replaced.
    pub body: String,
}

impl Request {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `X-Amz-Target` header.
    pub fn target(&self) -> Option<&str> {
        self.header("x-amz-target")
    }

    /// The Cognito operation: the `X-Amz-Target` without `AWSCognitoIdentityProviderService.`
    /// (the whole target when it has another prefix).
    pub fn operation(&self) -> Option<&str> {
        self.target()
            .map(|target| target.strip_prefix(COGNITO_IDP_PREFIX).unwrap_or(target))
    }

    /// The body as JSON; panics if it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("the body of {:?} is not JSON: {e}", self.request_line))
    }
}

/// One answer.
#[derive(Debug, Clone)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// Headers besides `Content-Length` and `Connection`.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// `status` with `body` as it is.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// `status` with `body` serialised as JSON.
    pub fn json(status: u16, body: &Value) -> Self {
        Self::new(status, body.to_string())
    }

    /// This response with one more header.
    #[must_use]
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// What a [`ScriptedServer::script`] answers once its script is used up: HTTP 500 `{}`.
    pub fn script_exhausted() -> Self {
        Self::new(500, "{}")
    }

    fn write_to(&self, stream: &mut TcpStream) {
        let mut head = format!(
            "HTTP/1.1 {} Scripted\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.status,
            self.body.len()
        );
        if !self
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        {
            head.push_str("Content-Type: application/x-amz-json-1.1\r\n");
        }
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        // The client may have gone (it is the one under test): nothing to do then.
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&self.body);
        let _ = stream.flush();
    }
}

/// The server: stops (and joins its accept thread) when dropped.
pub struct ScriptedServer {
    port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ScriptedServer {
    /// Answers the requests in turn with `script`, then with
    /// [`Response::script_exhausted`].
    pub fn script(script: Vec<Response>) -> Self {
        let mut script = script.into_iter();
        Self::start(move |_| script.next().unwrap_or_else(Response::script_exhausted))
    }

    /// Answers each request with `answer`, one connection at a time, in the order they come.
    pub fn start(answer: impl FnMut(&Request) -> Response + Send + 'static) -> Self {
        let answer = Mutex::new(answer);
        Self::spawn(false, move |request| {
            let mut answer = answer
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            answer(request)
        })
    }

    /// Answers each connection on its own thread with `answer`: for clients that keep one
    /// connection waiting while they open another (several processes at once, a proxy).
    pub fn concurrent(answer: impl Fn(&Request) -> Response + Send + Sync + 'static) -> Self {
        Self::spawn(true, answer)
    }

    fn spawn(
        concurrent: bool,
        answer: impl Fn(&Request) -> Response + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let port = listener
            .local_addr()
            .expect("the listener's address")
            .port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let answer = Arc::new(answer);
        let thread = {
            let (requests, stop) = (Arc::clone(&requests), Arc::clone(&stop));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Ok((stream, _)) = listener.accept() else {
                        std::thread::sleep(POLL);
                        continue;
                    };
                    if concurrent {
                        let (requests, answer) = (Arc::clone(&requests), Arc::clone(&answer));
                        std::thread::spawn(move || serve(stream, &*answer, &requests));
                    } else {
                        serve(stream, &*answer, &requests);
                    }
                }
            })
        };
        Self {
            port,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    /// The port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Every request recorded so far, in the order read.
    pub fn requests(&self) -> Vec<Request> {
        self.requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads one request, records it, answers it; drops a connection whose request it cannot read.
fn serve(
    mut stream: TcpStream,
    answer: &(impl Fn(&Request) -> Response + ?Sized),
    requests: &Mutex<Vec<Request>>,
) {
    let Some(request) = read_request(&stream) else {
        return;
    };
    requests
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(request.clone());
    answer(&request).write_to(&mut stream);
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(READ_TIMEOUT)).ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).ok()? == 0 {
        return None;
    }
    let request_line = request_line.trim_end().to_owned();
    let mut parts = request_line.split(' ');
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut headers = Vec::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        if headers.len() == MAX_HEADERS {
            return None;
        }
        let (name, value) = line.split_once(':')?;
        let value = value.trim().to_owned();
        if name.eq_ignore_ascii_case("content-length") {
            length = value.parse().ok()?;
        }
        headers.push((name.to_owned(), value));
    }
    if length > MAX_BODY {
        return None;
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        request_line,
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends `raw` on a new connection and returns everything the server wrote back.
    fn exchange(server: &ScriptedServer, raw: &str) -> String {
        let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, server.port())).unwrap();
        stream.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
        stream.write_all(raw.as_bytes()).unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    }

    fn post(operation: &str, body: &str) -> String {
        format!(
            "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: {COGNITO_IDP_PREFIX}{operation}\r\n\
             Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
    }

    #[test]
    fn a_script_is_answered_in_order_then_500_and_every_request_is_recorded() {
        let server = ScriptedServer::script(vec![
            Response::json(200, &serde_json::json!({ "a": 1 })),
            Response::new(400, "no").with_header("x-amzn-ErrorType", "Nope"),
        ]);
        let first = exchange(&server, &post("InitiateAuth", r#"{"k":"v"}"#));
        assert!(first.starts_with("HTTP/1.1 200 "), "{first}");
        assert!(
            first.contains("Content-Type: application/x-amz-json-1.1\r\n"),
            "{first}"
        );
        assert!(first.ends_with("\r\n\r\n{\"a\":1}"), "{first}");
        let second = exchange(&server, &post("SignUp", "{}"));
        assert!(second.starts_with("HTTP/1.1 400 "), "{second}");
        assert!(second.contains("x-amzn-ErrorType: Nope\r\n"), "{second}");
        assert!(second.ends_with("\r\n\r\nno"), "{second}");
        let third = exchange(&server, &post("SignUp", "{}"));
        assert!(third.starts_with("HTTP/1.1 500 "), "{third}");
        assert!(third.ends_with("\r\n\r\n{}"), "{third}");

        let seen = server.requests();
        assert_eq!(seen.len(), 3);
        assert_eq!(seen[0].method, "POST");
        assert_eq!(seen[0].path, "/");
        assert_eq!(seen[0].request_line, "POST / HTTP/1.1");
        assert_eq!(seen[0].header("host"), Some("x"));
        assert_eq!(seen[0].operation(), Some("InitiateAuth"));
        assert_eq!(seen[0].json(), serde_json::json!({ "k": "v" }));
        assert_eq!(seen[1].operation(), Some("SignUp"));
    }

    #[test]
    fn a_request_is_recorded_before_it_is_answered() {
        type Log = Arc<Mutex<Vec<Request>>>;
        let log_slot: Arc<Mutex<Option<Log>>> = Arc::default();
        let recorded_at_answer = Arc::new(Mutex::new(Vec::new()));
        let server = {
            let (slot, out) = (Arc::clone(&log_slot), Arc::clone(&recorded_at_answer));
            ScriptedServer::start(move |_| {
                let recorded = slot
                    .lock()
                    .unwrap()
                    .as_ref()
                    .map(|log| log.lock().unwrap().len());
                out.lock().unwrap().push(recorded);
                Response::new(200, "{}")
            })
        };
        *log_slot.lock().unwrap() = Some(Arc::clone(&server.requests));
        exchange(&server, &post("GetUser", "{}"));
        exchange(&server, &post("GetUser", "{}"));
        assert_eq!(*recorded_at_answer.lock().unwrap(), vec![Some(1), Some(2)]);
    }

    #[test]
    fn an_oversized_request_is_dropped_unanswered_and_unrecorded() {
        let server = ScriptedServer::script(vec![Response::new(200, "{}")]);
        let headers: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: y\r\n")).collect();
        let answer = exchange(&server, &format!("GET / HTTP/1.1\r\n{headers}\r\n"));
        assert_eq!(answer, "");
        let big = format!(
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY + 1
        );
        assert_eq!(exchange(&server, &big), "");
        assert!(server.requests().is_empty());
        // The script was not used up by them.
        assert!(exchange(&server, "GET / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 200 "));
    }

    #[test]
    fn a_concurrent_server_answers_while_another_connection_waits() {
        let server = ScriptedServer::concurrent(|request| Response::new(200, request.path.clone()));
        // A connection that sends half a request and waits.
        let mut idle = TcpStream::connect((Ipv4Addr::LOCALHOST, server.port())).unwrap();
        idle.write_all(b"GET /idle HTTP/1.1\r\n").unwrap();
        let answer = exchange(&server, "GET /second HTTP/1.1\r\n\r\n");
        assert!(answer.ends_with("\r\n\r\n/second"), "{answer}");
        drop(idle);
    }
}
