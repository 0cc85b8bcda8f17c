//! End to end: passkey registration through the core against fakecloud 0.51's Cognito service
//! (`cognito_auth_testkit::fakecloud`: a separately built test server, see
//! `tools/fakecloud-server`), which verifies a packed self-attestation's signature.
//!
//! The authenticator is this file's own: a P-256 key made in the test, `authenticatorData` with
//! the relying party's hash, flags UP|UV|AT, a sign count, an AAGUID, the credential id and the
//! COSE EC2 public key; an `attestationObject` in CBOR (written by hand below:
//! `{fmt: "packed", attStmt: {alg: -7, sig}, authData}`), the signature ES256 (DER) over
//! `authData || SHA-256(clientDataJSON)`; a `clientDataJSON` of type `webauthn.create` with the
//! challenge and an origin.
//!
//! What fakecloud 0.51 checks (its `CompleteWebAuthnRegistration`, read in its source and seen
//! here): the access token; the attestation format (only `packed`); the attestation signature
//! against the public key in `authData`, over exactly the `clientDataJSON` sent. What it does
//! **not** check, unlike Cognito: that `clientDataJSON` names the challenge of a
//! `StartWebAuthnRegistration` (it keeps none), its `type` and `origin`, and the `rpIdHash` and
//! flags in `authData`. The test pins those gaps too, so that nobody reads the checks they would
//! be as covered here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_auth_core::SecretString;
use cognito_auth_core::account::{
    AccountError, CompleteWebAuthnRegistration, DeleteWebAuthnCredential, ListWebAuthnCredentials,
    StartWebAuthnRegistration, WebAuthnCredentialInfo,
};
use cognito_auth_core::passkey::{PasskeyCreationOptions, PasskeyError};
use cognito_auth_core::wire::{ServiceError, ServiceErrorKind};
use cognito_auth_testkit::cognito_idp::{PASSWORD, Pool};
use cognito_auth_testkit::fakecloud::FakeCloud;
use cognito_auth_testkit::sign_in_driver::sign_in_srp;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

/// The origin the test's "app" claims in `clientDataJSON`.
const ORIGIN: &str = "https://app.example.com";

/// An AAGUID (16 bytes): the test authenticator's model.
const AAGUID: [u8; 16] = *b"cognito-auth-tst";

/// WebAuthn `authenticatorData` flags: user present, user verified, attested credential data.
const FLAGS_UP_UV_AT: u8 = 0x01 | 0x04 | 0x40;

// --- CBOR (RFC 8949), only what an attestation object needs -------------------------------------

/// A CBOR head: major type `major` with argument `n`, in the shortest form.
fn cbor_head(major: u8, n: u64, out: &mut Vec<u8>) {
    let m = major << 5;
    if n < 24 {
        out.push(m | u8::try_from(n).unwrap());
    } else if let Ok(n) = u8::try_from(n) {
        out.extend([m | 24, n]);
    } else if let Ok(n) = u16::try_from(n) {
        out.push(m | 25);
        out.extend(n.to_be_bytes());
    } else {
        out.push(m | 26);
        out.extend(u32::try_from(n).unwrap().to_be_bytes());
    }
}

/// A CBOR data item, enough of them for COSE keys and attestation objects.
enum Cbor<'a> {
    Int(i64),
    Bytes(&'a [u8]),
    Text(&'a str),
    Map(Vec<(Cbor<'a>, Cbor<'a>)>),
}

impl Cbor<'_> {
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Self::Int(n) if *n >= 0 => cbor_head(0, n.unsigned_abs(), out),
            // A negative integer n is major type 1 with argument -1 - n.
            Self::Int(n) => cbor_head(1, n.unsigned_abs() - 1, out),
            Self::Bytes(bytes) => {
                cbor_head(2, bytes.len() as u64, out);
                out.extend_from_slice(bytes);
            }
            Self::Text(text) => {
                cbor_head(3, text.len() as u64, out);
                out.extend_from_slice(text.as_bytes());
            }
            Self::Map(entries) => {
                cbor_head(5, entries.len() as u64, out);
                for (key, value) in entries {
                    key.encode(out);
                    value.encode(out);
                }
            }
        }
    }

    fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }
}

#[test]
fn cbor_encoding_matches_rfc_8949_examples() {
    // RFC 8949 appendix A.
    assert_eq!(Cbor::Int(10).to_vec(), [0x0a]);
    assert_eq!(Cbor::Int(24).to_vec(), [0x18, 0x18]);
    assert_eq!(Cbor::Int(1000).to_vec(), [0x19, 0x03, 0xe8]);
    assert_eq!(Cbor::Int(-1).to_vec(), [0x20]);
    assert_eq!(Cbor::Int(-7).to_vec(), [0x26]);
    assert_eq!(Cbor::Int(-100).to_vec(), [0x38, 0x63]);
    assert_eq!(Cbor::Int(-1000).to_vec(), [0x39, 0x03, 0xe7]);
    assert_eq!(Cbor::Bytes(&[1, 2, 3, 4]).to_vec(), [0x44, 1, 2, 3, 4]);
    assert_eq!(Cbor::Text("IETF").to_vec(), [0x64, b'I', b'E', b'T', b'F']);
    assert_eq!(
        Cbor::Map(vec![
            (Cbor::Int(1), Cbor::Int(2)),
            (Cbor::Int(3), Cbor::Int(4))
        ])
        .to_vec(),
        [0xa2, 0x01, 0x02, 0x03, 0x04]
    );
    assert_eq!(Cbor::Bytes(&[0; 300]).to_vec()[..3], [0x59, 0x01, 0x2c]);
}

// --- The test's authenticator ---------------------------------------------------------------------

/// A P-256 key from a label (deterministic, so a failure reproduces; ECDSA signing in `p256` is
/// deterministic too, RFC 6979).
fn key(label: &str) -> SigningKey {
    let seed: [u8; 32] = Sha256::digest(label.as_bytes()).into();
    SigningKey::from_bytes(&seed.into()).unwrap()
}

/// The COSE_Key (RFC 9052/9053) of an ES256 public key: kty EC2, alg ES256, crv P-256, x, y.
fn cose_key(key: &SigningKey) -> Vec<u8> {
    let point = VerifyingKey::from(key).to_encoded_point(false);
    Cbor::Map(vec![
        (Cbor::Int(1), Cbor::Int(2)),
        (Cbor::Int(3), Cbor::Int(-7)),
        (Cbor::Int(-1), Cbor::Int(1)),
        (Cbor::Int(-2), Cbor::Bytes(point.x().unwrap())),
        (Cbor::Int(-3), Cbor::Bytes(point.y().unwrap())),
    ])
    .to_vec()
}

/// How [`Authenticator::register`] departs from an honest authenticator.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fault {
    None,
    /// The attestation is signed with another key than the one in `authData`.
    WrongKey,
    /// `clientDataJSON` is replaced after signing (another challenge in it).
    ClientDataSwappedAfterSigning,
    /// `clientDataJSON` names another challenge, and the signature covers it (consistent).
    OtherChallengeSigned,
    /// `fmt` is `none` (no attestation statement).
    FormatNone,
}

/// One passkey on a test authenticator.
struct Authenticator {
    key: SigningKey,
    credential_id: Vec<u8>,
}

impl Authenticator {
    fn new(label: &str) -> Self {
        Self {
            key: key(label),
            credential_id: Sha256::digest(format!("credential {label}").as_bytes()).to_vec(),
        }
    }

    fn credential_id(&self) -> String {
        URL_SAFE_NO_PAD.encode(&self.credential_id)
    }

    /// `authenticatorData` for a registration: rpIdHash, flags, signCount 0, attested
    /// credential data (AAGUID, id length, id, COSE key).
    fn authenticator_data(&self, rp_id: &str) -> Vec<u8> {
        let mut data = Sha256::digest(rp_id.as_bytes()).to_vec();
        data.push(FLAGS_UP_UV_AT);
        data.extend(0u32.to_be_bytes());
        data.extend(AAGUID);
        data.extend(
            u16::try_from(self.credential_id.len())
                .unwrap()
                .to_be_bytes(),
        );
        data.extend(&self.credential_id);
        data.extend(cose_key(&self.key));
        data
    }

    /// The `RegistrationResponseJSON` a platform would return for `options`.
    fn register(&self, options: &PasskeyCreationOptions, fault: Fault) -> String {
        let rp_id = options.rp_id.as_deref().expect("fakecloud names the rp id");
        let client_data = |challenge: &str| {
            json!({"type": "webauthn.create", "challenge": challenge, "origin": ORIGIN}).to_string()
        };
        let other_challenge = URL_SAFE_NO_PAD.encode(b"a challenge nobody issued");
        let signed_client_data = match fault {
            Fault::OtherChallengeSigned => client_data(&other_challenge),
            _ => client_data(&options.challenge),
        };
        let sent_client_data = match fault {
            Fault::ClientDataSwappedAfterSigning => client_data(&other_challenge),
            _ => signed_client_data.clone(),
        };
        let auth_data = self.authenticator_data(rp_id);
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(signed_client_data.as_bytes()));
        let signer = match fault {
            Fault::WrongKey => key("not the credential's key"),
            _ => self.key.clone(),
        };
        let signature: Signature = signer.sign(&signed);
        let der = signature.to_der();
        let statement = match fault {
            Fault::FormatNone => Cbor::Map(vec![]),
            _ => Cbor::Map(vec![
                (Cbor::Text("alg"), Cbor::Int(-7)),
                (Cbor::Text("sig"), Cbor::Bytes(der.as_bytes())),
            ]),
        };
        let attestation_object = Cbor::Map(vec![
            (
                Cbor::Text("fmt"),
                Cbor::Text(if fault == Fault::FormatNone {
                    "none"
                } else {
                    "packed"
                }),
            ),
            (Cbor::Text("attStmt"), statement),
            (Cbor::Text("authData"), Cbor::Bytes(&auth_data)),
        ])
        .to_vec();
        json!({
            "id": self.credential_id(),
            "rawId": self.credential_id(),
            "type": "public-key",
            "response": {
                "clientDataJSON": URL_SAFE_NO_PAD.encode(sent_client_data),
                "attestationObject": URL_SAFE_NO_PAD.encode(attestation_object),
                "transports": ["internal", "hybrid"],
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {"credProps": {"rk": true}},
        })
        .to_string()
    }
}

// --- The test -------------------------------------------------------------------------------------

fn service_error<T: core::fmt::Debug>(result: Result<T, AccountError>) -> ServiceError {
    match result {
        Err(AccountError::Service(error)) => error,
        other => panic!("expected Cognito to refuse, got {other:?}"),
    }
}

fn list_all(pool: &Pool<'_>, access: &SecretString) -> Vec<WebAuthnCredentialInfo> {
    pool.send(&ListWebAuthnCredentials::new(access.clone()))
        .unwrap()
        .credentials
}

#[test]
fn a_passkey_registered_through_the_core_is_verified_listed_and_deleted() {
    let server = FakeCloud::start();
    let idp = server.cognito();
    let pool = Pool::create(idp, "passkeys", Value::Null, false);
    let username = pool.user("alice", &[]);
    let signed_in = sign_in_srp(idp, pool.config(), &username, PASSWORD, "alice");
    let access = signed_in.tokens.access_token.clone();
    let rp_id = format!("cognito-idp.us-east-1.amazonaws.com/{}", pool.id.as_str());

    // Start: the core checks and types the options.
    let options = pool
        .send(&StartWebAuthnRegistration::new(access.clone()))
        .unwrap();
    assert_eq!(options.rp_id.as_deref(), Some(rp_id.as_str()));
    assert_eq!(options.user_name, username);
    assert!(options.challenge_bytes().len() >= 16, "{options:?}");
    assert!(
        options.pub_key_cred_params.iter().any(|p| p.alg == -7),
        "ES256 offered: {options:?}"
    );
    assert!(list_all(&pool, &access).is_empty());

    // Refused by fakecloud's signature check, surfaced as typed service errors; nothing stored.
    let honest = Authenticator::new("alice's phone");
    for fault in [Fault::WrongKey, Fault::ClientDataSwappedAfterSigning] {
        let credential = honest.register(&options, fault);
        let error = service_error(pool.send(&CompleteWebAuthnRegistration::new(
            access.clone(),
            &credential,
        )));
        assert_eq!(error.status(), 400, "{fault:?}: {error:?}");
        assert_eq!(
            error.kind(),
            ServiceErrorKind::InvalidParameter,
            "{fault:?}"
        );
        assert!(
            error.message().contains("signature did not verify"),
            "{fault:?}: {}",
            error.message()
        );
    }
    let error = service_error(pool.send(&CompleteWebAuthnRegistration::new(
        access.clone(),
        &honest.register(&options, Fault::FormatNone),
    )));
    assert_eq!(error.code(), "UnsupportedAttestationFormatException");
    assert_eq!(error.kind(), ServiceErrorKind::Unknown);
    assert!(list_all(&pool, &access).is_empty());

    // Refused by the core before anything is sent: `id` is not `rawId`.
    let mut mismatched: Value =
        serde_json::from_str(&honest.register(&options, Fault::None)).unwrap();
    mismatched["id"] = URL_SAFE_NO_PAD.encode(b"another credential").into();
    assert!(matches!(
        pool.send(&CompleteWebAuthnRegistration::new(
            access.clone(),
            &mismatched.to_string()
        )),
        Err(AccountError::Passkey(PasskeyError::IdMismatch))
    ));

    // The honest registration is accepted, and listed as registered.
    let before = now_secs();
    pool.send(&CompleteWebAuthnRegistration::new(
        access.clone(),
        &honest.register(&options, Fault::None),
    ))
    .unwrap();
    let listed = list_all(&pool, &access);
    assert_eq!(listed.len(), 1, "{listed:?}");
    let passkey = &listed[0];
    assert_eq!(passkey.credential_id, honest.credential_id());
    assert_eq!(passkey.relying_party_id, rp_id);
    assert_eq!(
        passkey.authenticator_attachment.as_deref(),
        Some("platform")
    );
    assert_eq!(passkey.authenticator_transports, ["internal", "hybrid"]);
    let created = passkey.created_at.expect("CreatedAt");
    assert!(
        (before - 5..=now_secs() + 5).contains(&created),
        "CreatedAt {created}"
    );

    // fakecloud 0.51 keeps no challenge: a registration signed over another challenge is
    // accepted (Cognito refuses it). Pinned so that the README does not claim this check.
    let other = Authenticator::new("alice's laptop");
    pool.send(&CompleteWebAuthnRegistration::new(
        access.clone(),
        &other.register(&options, Fault::OtherChallengeSigned),
    ))
    .unwrap();

    // Pages: one passkey per page, the next token from the core's parse.
    let first = pool
        .send(
            &ListWebAuthnCredentials::new(access.clone())
                .with_max_results(1)
                .unwrap(),
        )
        .unwrap();
    assert_eq!(first.credentials.len(), 1);
    assert_eq!(first.credentials[0].credential_id, honest.credential_id());
    let token = first.next_token.expect("a second page");
    let second = pool
        .send(
            &ListWebAuthnCredentials::new(access.clone())
                .with_max_results(1)
                .unwrap()
                .with_next_token(&token),
        )
        .unwrap();
    assert_eq!(second.credentials.len(), 1);
    assert_eq!(second.credentials[0].credential_id, other.credential_id());
    assert_eq!(second.next_token, None);

    // Delete: gone from the list; deleting it again is ResourceNotFound.
    pool.send(&DeleteWebAuthnCredential::new(
        access.clone(),
        &honest.credential_id(),
    ))
    .unwrap();
    let left: Vec<String> = list_all(&pool, &access)
        .into_iter()
        .map(|c| c.credential_id)
        .collect();
    assert_eq!(left, [other.credential_id()]);
    let error = service_error(pool.send(&DeleteWebAuthnCredential::new(
        access.clone(),
        &honest.credential_id(),
    )));
    assert_eq!(error.kind(), ServiceErrorKind::ResourceNotFound);

    // Another user's token sees none of alice's passkeys and cannot delete them.
    let bob = pool.user("bob", &[]);
    let bob_access = sign_in_srp(idp, pool.config(), &bob, PASSWORD, "bob")
        .tokens
        .access_token;
    assert!(list_all(&pool, &bob_access).is_empty());
    let error = service_error(pool.send(&DeleteWebAuthnCredential::new(
        bob_access,
        &other.credential_id(),
    )));
    assert_eq!(error.kind(), ServiceErrorKind::ResourceNotFound);

    // A token fakecloud did not issue is NotAuthorized on every passkey operation.
    let forged = SecretString::new("not-a-token");
    for error in [
        service_error(pool.send(&StartWebAuthnRegistration::new(forged.clone()))),
        service_error(pool.send(&CompleteWebAuthnRegistration::new(
            forged.clone(),
            &other.register(&options, Fault::None),
        ))),
        service_error(pool.send(&ListWebAuthnCredentials::new(forged.clone()))),
        service_error(pool.send(&DeleteWebAuthnCredential::new(
            forged,
            &other.credential_id(),
        ))),
    ] {
        assert_eq!(error.kind(), ServiceErrorKind::NotAuthorized, "{error:?}");
    }
    assert_eq!(list_all(&pool, &access).len(), 1);
}

/// Seconds since the Unix epoch.
fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}
