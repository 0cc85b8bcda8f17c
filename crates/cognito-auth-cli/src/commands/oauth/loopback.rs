//! `oauth sign-in`: the redirect caught by a one-shot HTTP listener on 127.0.0.1 (RFC 8252
//! §7.3, loopback redirection), so no URL has to be copied by hand.
//!
//! The listener binds 127.0.0.1 only, reads at most [`MAX_REQUEST`] bytes of each request head
//! within [`READ_TIMEOUT`], answers requests for other paths (a browser's `/favicon.ico`) with
//! 404, and stops at the first request for the redirect path, whatever it holds: that request
//! decides (code, error or mismatch) and nothing else is served.

use core::net::{Ipv4Addr, SocketAddr};
use core::time::Duration;
use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::time::Instant;

use zeroize::Zeroizing;

use super::{LoopbackSignIn, client_with_secret, failure, options, redeem, usage};
use crate::commands::entropy;
use crate::error::Failure;
use crate::output::step;

/// Longest request head read (a redirect with a code and a state is a few hundred bytes).
const MAX_REQUEST: usize = 16 * 1024;
/// Time a connected browser has to send its request head.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Pause between two looks for a connection.
const POLL: Duration = Duration::from_millis(50);

/// The port and path of `http://127.0.0.1:PORT/PATH` or `http://localhost:PORT/PATH`.
fn loopback_port_and_path(redirect_uri: &str) -> Option<(u16, String)> {
    let rest = redirect_uri
        .strip_prefix("http://127.0.0.1:")
        .or_else(|| redirect_uri.strip_prefix("http://localhost:"))?;
    let (port, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, "/"),
    };
    let port: u16 = port.parse().ok().filter(|port| *port != 0)?;
    let path = path.split('?').next().unwrap_or("/");
    Some((port, path.to_owned()))
}

pub fn sign_in(args: &LoopbackSignIn) -> Result<(), Failure> {
    let (port, path) = loopback_port_and_path(&args.redirect_uri).ok_or_else(|| {
        Failure::usage(format!(
            "--redirect-uri {:?}: oauth sign-in listens on this machine, so the redirect URI \
             must be http://127.0.0.1:PORT/PATH or http://localhost:PORT/PATH",
            args.redirect_uri
        ))
    })?;
    let client = client_with_secret(
        &args.domain,
        args.client_secret.as_deref(),
        args.client_secret_file.as_deref(),
    )?;
    let options = options(
        &args.redirect_uri,
        &args.scopes,
        args.identity_provider.as_deref(),
    );
    let (url, pending) = client.authorize(&options, &entropy()?).map_err(usage)?;
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        .and_then(|listener| listener.set_nonblocking(true).map(|()| listener))
        .map_err(|e| Failure::failed(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
    step(format!(
        "Open this URL in a browser (waiting {} s for the redirect to 127.0.0.1:{port}{path}):\n{url}",
        args.timeout
    ));
    let deadline = Instant::now() + Duration::from_secs(args.timeout);
    let target = loop {
        if Instant::now() >= deadline {
            return Err(Failure::failed(format!(
                "no redirect reached 127.0.0.1:{port}{path} within {} s",
                args.timeout
            )));
        }
        match listener.accept() {
            Ok((mut stream, _)) => match request_target(&mut stream) {
                Some(target) if target.split('?').next() == Some(path.as_str()) => {
                    break (stream, target);
                }
                _ => respond(&mut stream, "404 Not Found", "Not the redirect path."),
            },
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => std::thread::sleep(POLL),
            Err(e) => return Err(Failure::failed(format!("127.0.0.1:{port}: {e}"))),
        }
    };
    let (mut stream, target) = target;
    let redirect = Zeroizing::new(format!("http://127.0.0.1:{port}{}", target.as_str()));
    // The redirect URI may name localhost; the core compares hosts as written.
    let redirect = if args.redirect_uri.starts_with("http://localhost:") {
        Zeroizing::new(redirect.replacen("127.0.0.1", "localhost", 1))
    } else {
        redirect
    };
    let code = match pending.handle_redirect(&redirect) {
        Ok(code) => {
            respond(
                &mut stream,
                "200 OK",
                "Signed in: you can close this window.",
            );
            code
        }
        Err(e) => {
            respond(
                &mut stream,
                "400 Bad Request",
                "The sign-in did not succeed.",
            );
            return Err(failure(e));
        }
    };
    redeem(&client, args.domain.proxy.as_deref(), &pending, &code)
}

/// The request target of a `GET` request head (`/callback?code=...`), read within
/// [`READ_TIMEOUT`] and [`MAX_REQUEST`] bytes; `None` for anything else.
fn request_target(stream: &mut TcpStream) -> Option<Zeroizing<String>> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(READ_TIMEOUT)).ok()?;
    let mut head = Zeroizing::new(Vec::with_capacity(1024));
    let mut buffer = Zeroizing::new([0_u8; 1024]);
    let deadline = Instant::now() + READ_TIMEOUT;
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        if head.len() > MAX_REQUEST || Instant::now() >= deadline {
            return None;
        }
        let read = stream.read(buffer.as_mut_slice()).ok()?;
        if read == 0 {
            break;
        }
        head.extend_from_slice(buffer.get(..read)?);
    }
    let line = head.split(|byte| *byte == b'\n').next()?;
    let line = core::str::from_utf8(line).ok()?.trim_end();
    let mut parts = line.split(' ');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("GET"), Some(target), Some(version))
            if target.starts_with('/') && version.starts_with("HTTP/") =>
        {
            Some(Zeroizing::new(target.to_owned()))
        }
        _ => None,
    }
}

/// A small plain-text answer; the connection is closed after it.
fn respond(stream: &mut TcpStream, status: &str, text: &str) {
    let answer = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\n\
         cache-control: no-store\r\nconnection: close\r\n\r\n{text}",
        text.len()
    );
    let _ = stream.write_all(answer.as_bytes());
    let _ = stream.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_redirect_uris_with_a_port() {
        assert_eq!(
            loopback_port_and_path("http://127.0.0.1:8765/callback"),
            Some((8765, "/callback".to_owned()))
        );
        assert_eq!(
            loopback_port_and_path("http://localhost:8765"),
            Some((8765, "/".to_owned()))
        );
        for uri in [
            "https://127.0.0.1:8765/cb",
            "http://127.0.0.1/cb",
            "http://127.0.0.1:0/cb",
            "http://127.0.0.1:99999/cb",
            "http://example.com:8765/cb",
            "myapp://callback",
        ] {
            assert_eq!(loopback_port_and_path(uri), None, "{uri}");
        }
    }
}
