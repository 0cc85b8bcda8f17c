//! Cognito error and response parsing: `ServiceError::parse`, the sign-in's response handling
//! (through `SignIn::handle_response`), a few account operations' `parse_response`, and
//! `JwtClaims::read`. No panic, and the status survives.
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_auth_core::account::{
    AccountOperation, AssociateSoftwareToken, ConfirmSignUp, GetTokensFromRefreshToken, GetUser,
    ListDevices, SignUp,
};
use cognito_auth_core::jwt::JwtClaims;
use cognito_auth_core::sign_in::{Credentials, Entropy, HttpResponse, SignIn};
use cognito_auth_core::{SecretString, ServiceError, UnixTime};
use cognito_auth_fuzz::config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Input: a first line `STATUS [x-amzn-ErrorType]`, then the body (seeds: real responses).
    let (head, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&data[..0], data),
    };
    let head = String::from_utf8_lossy(head);
    let mut words = head.splitn(2, ' ');
    let status = words
        .next()
        .and_then(|s| s.trim().parse::<u16>().ok())
        .unwrap_or(400);
    let header = words.next();
    let operation = body.len() as u8;

    let error = ServiceError::parse(status, header, body);
    assert_eq!(error.status(), status);
    let _ = (
        error.code(),
        error.message(),
        error.kind(),
        error.is_retryable(),
    );
    let _ = (error.restarts_sign_in(), error.backend_hint());

    let response = HttpResponse::new(status, body).with_error_type(header);
    let now = UnixTime::from_secs(1_800_000_000);
    let credentials = match operation % 3 {
        0 => Credentials::srp("alice", SecretString::new("Correct-Horse-9!")),
        1 => Credentials::password("alice", SecretString::new("Correct-Horse-9!")),
        _ => Credentials::user_auth("alice", None, None),
    };
    if let Ok((mut flow, _)) =
        SignIn::start(config(None), credentials, Entropy::from_bytes([7; 32]))
    {
        let _ = flow.handle_response(response, now);
    }

    let token = SecretString::new("eyJ.token");
    match operation % 6 {
        0 => drop(GetUser::new(token).parse_response(response)),
        1 => drop(ListDevices::new(token).parse_response(response)),
        2 => drop(SignUp::new("alice", token).parse_response(response)),
        3 => drop(AssociateSoftwareToken::new(token, "alice").parse_response(response)),
        4 => drop(GetTokensFromRefreshToken::new(token).parse_response(response)),
        _ => drop(ConfirmSignUp::new("alice", "123456").parse_response(response)),
    }

    // The body as a token, and as the claims of one.
    if let Ok(text) = core::str::from_utf8(body) {
        let _ = JwtClaims::read(text);
    }
    let token = format!(
        "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.{}.c2ln",
        URL_SAFE_NO_PAD.encode(body)
    );
    if let Ok(claims) = JwtClaims::read(&token) {
        let _ = (
            claims.is_expired(now),
            claims.seconds_left(now),
            claims.expires_within(now, 60),
        );
    }
});
