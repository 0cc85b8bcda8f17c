//! Property tests of sign-in snapshots (examples in `sign_in_snapshot_edits.rs`): for every
//! user step, `snapshot` → `restore` → `snapshot` is the identity and the restored flow
//! answers and finishes exactly as the original; damaged snapshots (any character changed,
//! inserted, deleted, truncated; fields dropped or retyped) are refused with a typed error
//! that shows no secret; arbitrary strings and documents never panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

extern crate alloc;

use cognito_auth_testkit::proptest_fixtures;

use cognito_auth_testkit::sign_in_strategies;

use cognito_auth_core::SecretString;
use cognito_auth_core::sign_in::{HttpResponse, RestoreOptions, SignIn, SnapshotError, Step};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::{Map, Value, json};

use proptest_fixtures::*;
use sign_in_strategies::*;

// ----- snapshots -----

/// What Cognito answers next, in the properties that continue a flow.
fn reply() -> impl Strategy<Value = (u16, Vec<u8>)> {
    let tokens = (
        "[A-Za-z0-9._-]{8,40}",
        proptest::option::of("[A-Za-z0-9._-]{8,40}"),
        1u64..100_000,
        any::<bool>(),
    )
        .prop_map(|(access, refresh, expires_in, new_device)| {
            let mut result = json!({
                "AccessToken": format!("TOKEN-{access}"),
                "IdToken": "id.token.x",
                "ExpiresIn": expires_in,
                "TokenType": "Bearer",
            });
            if let Some(refresh) = refresh {
                result["RefreshToken"] = refresh.into();
            }
            if new_device {
                result["NewDeviceMetadata"] =
                    json!({"DeviceKey": "eu-central-1_new-device", "DeviceGroupKey": "-NewGroup1"});
            }
            (
                200,
                json!({"AuthenticationResult": result})
                    .to_string()
                    .into_bytes(),
            )
        });
    let error = select(vec![
        "CodeMismatchException",
        "ExpiredCodeException",
        "NotAuthorizedException",
        "InvalidPasswordException",
        "TooManyRequestsException",
    ])
    .prop_map(|code| {
        (
            400,
            json!({"__type": code, "message": "m"})
                .to_string()
                .into_bytes(),
        )
    });
    let other = prop_oneof![
        session().prop_map(|session| (
            200,
            challenge_body("SMS_MFA", Some(&session), Map::new(), &[])
        )),
        select(vec!["SUCCESS", "ERROR"]).prop_map(|status| (
            200,
            json!({"Status": status, "Session": format!("{SESSION_MARK}v")})
                .to_string()
                .into_bytes()
        )),
        Just((
            200,
            br#"{"SecretCode":"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"}"#.to_vec()
        )),
        Just((200, b"{}".to_vec())),
        Just((500, b"oops".to_vec())),
    ];
    prop_oneof![3 => tokens, 2 => error, 2 => other]
}

proptest! {
    #![proptest_config(cases(384))]

    /// For every user step: the snapshot holds no password, client secret or device password;
    /// `restore` gives a flow waiting for the same step under the same name whose snapshot is
    /// the same string; and the restored flow answers, reads Cognito's reply and finishes
    /// (`ConfirmDevice` included) exactly as the original does.
    #[test]
    fn snapshot_restore_is_the_identity_and_resumes_the_same_flow(
        s in scenario(),
        seed in answer_seed(),
        reply in reply(),
        elapsed in 0u64..=300,
        confirmation in any::<bool>(),
    ) {
        let mut original = drive(&s);
        let step = original.pending_step().cloned().unwrap();
        let answer = answer_for(&step, &seed);
        let snapshot = original.snapshot(at(NOW)).unwrap();
        let text = snapshot.expose();
        let printed = format!("{:?}", snapshot);
        prop_assert!(!printed.contains(text));
        assert_no_fixed_secret(&Value::Object(snapshot_document(text)).to_string());

        let mut restored = SignIn::restore(config(s.client_secret), text, restore_options(&s, NOW + elapsed)).unwrap();
        prop_assert_eq!(restored.pending_step(), Some(&step));
        prop_assert_eq!(restored.username(), original.username());
        prop_assert!(!restored.is_over());
        let again = restored.snapshot(at(NOW)).unwrap();
        prop_assert_eq!(again.expose(), text);

        // Both answer alike, read the same reply alike, and so on to the end.
        let now = at(NOW + elapsed);
        let answered = original.answer(answer.clone(), now);
        prop_assert_eq!(&restored.answer(answer, now), &answered);
        let mut outcome = answered;
        let mut replies = vec![reply, (200, json!({"UserConfirmationNecessary": confirmation}).to_string().into_bytes())];
        replies.reverse();
        while let Ok(Step::Send(_)) = &outcome {
            let Some((status, body)) = replies.pop() else { break };
            let response = HttpResponse::new(status, &body);
            outcome = original.handle_response(response, now);
            prop_assert_eq!(&restored.handle_response(response, now), &outcome);
        }
        prop_assert_eq!(restored.pending_step(), original.pending_step());
        prop_assert_eq!(restored.is_over(), original.is_over());
        prop_assert_eq!(restored.username(), original.username());
        if original.pending_step().is_some() {
            let (left, right) = (restored.snapshot(now).unwrap(), original.snapshot(now).unwrap());
            prop_assert_eq!(left.expose(), right.expose());
        }
    }

    /// The age rules: a snapshot restores from the moment it was taken until `max_age_secs`
    /// later, is `Expired` with its exact age after that and `TakenInTheFuture` before.
    #[test]
    fn snapshot_age_is_checked(s in scenario(), delta in -400i64..=400, max_age in 0u64..=360) {
        let flow = drive(&s);
        let snapshot = flow.snapshot(at(NOW)).unwrap();
        let now = NOW.checked_add_signed(delta).unwrap();
        let options = RestoreOptions { max_age_secs: max_age, ..restore_options(&s, now) };
        let got = SignIn::restore(config(s.client_secret), snapshot.expose(), options).map(|flow| flow.pending_step().cloned());
        let expected = match u64::try_from(delta) {
            Err(_) => Err(SnapshotError::TakenInTheFuture),
            Ok(age) if age > max_age => Err(SnapshotError::Expired { age_secs: age }),
            Ok(_) => Ok(flow.pending_step().cloned()),
        };
        prop_assert_eq!(got, expected);
    }
}

/// One change to a snapshot string.
#[derive(Debug, Clone)]
enum Damage {
    Replace(Index, char),
    Insert(Index, char),
    Delete(Index),
    Truncate(Index),
}

fn damage() -> impl Strategy<Value = Damage> {
    let ch = || {
        prop_oneof![
            "[A-Za-z0-9_.=+/-]",
            "[ \t\n]",
            any::<char>().prop_map(String::from)
        ]
        .prop_map(|s| s.chars().next().unwrap())
    };
    prop_oneof![
        (any::<Index>(), ch()).prop_map(|(i, c)| Damage::Replace(i, c)),
        (any::<Index>(), ch()).prop_map(|(i, c)| Damage::Insert(i, c)),
        any::<Index>().prop_map(Damage::Delete),
        any::<Index>().prop_map(Damage::Truncate),
    ]
}

fn apply(text: &str, damage: &Damage) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = chars.clone();
    match damage {
        Damage::Replace(i, c) => out[i.index(chars.len())] = *c,
        Damage::Insert(i, c) => out.insert(i.index(chars.len() + 1), *c),
        Damage::Delete(i) => {
            out.remove(i.index(chars.len()));
        }
        Damage::Truncate(i) => out.truncate(i.index(chars.len())),
    }
    out.into_iter().collect()
}

/// One change to the document inside a snapshot, re-wrapped with a valid digest.
#[derive(Debug, Clone)]
enum Edit {
    /// Drop a member of the document.
    Remove(Index),
    /// Give a member a value of another JSON type.
    Retype(Index, Index),
    /// Drop a member of `step`.
    RemoveInStep(Index),
    /// Give a member of `step` a value of another type.
    RetypeInStep(Index, Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<Index>().prop_map(Edit::Remove),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::Retype(a, b)),
        any::<Index>().prop_map(Edit::RemoveInStep),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::RetypeInStep(a, b)),
    ]
}

/// Values of every JSON type but string (what the snapshot's text members hold).
fn not_a_string(index: &Index) -> Value {
    let values = [
        Value::Null,
        json!(7),
        json!(true),
        json!([]),
        json!({}),
        json!(-1.5),
    ];
    values[index.index(values.len())].clone()
}

/// Members whose loss or wrong type `restore` must refuse, and with what.
fn top_level_refusal(key: &str) -> Option<SnapshotError> {
    match key {
        "saved_at" | "typed_username" | "username" | "flow" | "challenge" | "step" => {
            Some(SnapshotError::Corrupted)
        }
        "user_pool_id" | "client_id" => Some(SnapshotError::ClientMismatch),
        // Optional, and may be absent or null: session (absent before Cognito sends one),
        // device_key (no device), device_name, stale_device, device_asked, requests. Another
        // type is damage.
        _ => None,
    }
}

/// Members of `step` each kind cannot do without.
fn step_member_required(kind: &str, key: &str) -> bool {
    key == "kind"
        || matches!(
            (kind, key),
            ("select_mfa" | "select_mfa_setup", "allowed")
                | ("set_up_totp", "secret" | "username")
                | ("new_password", "required_attributes" | "user_attributes")
                | ("custom", "parameters")
                | ("select_first_factor", "available")
                | ("web_authn", "options")
        )
}

/// Whether `value` is an acceptable value of `step`'s member `key` anyway (a list or map that
/// is still a list or map of strings, optional text that is simply not there).
fn step_member_lenient(key: &str, value: &Value) -> bool {
    match key {
        // Delivery members are optional text; a non-object delivery reads as no delivery.
        "delivery" | "friendly_device_name" => true,
        "required_attributes" | "allowed" | "available" => {
            value.as_array().is_some_and(|items| items.is_empty())
        }
        "user_attributes" | "parameters" => value.as_object().is_some_and(|map| map.is_empty()),
        _ => false,
    }
}

proptest! {
    #![proptest_config(cases(512))]

    /// Any one character replaced, inserted or deleted, or any truncation: restored only if
    /// the prefix, the version ("v1", spelled only so), the body and the digest are untouched
    /// (white space around the string is fine); otherwise refused as `UnknownFormat`,
    /// `UnsupportedVersion` or `Corrupted`, with an error that shows no secret.
    #[test]
    fn damaged_snapshots_are_refused(s in scenario(), damage in damage()) {
        let flow = drive(&s);
        let snapshot = flow.snapshot(at(NOW)).unwrap();
        let text = snapshot.expose();
        let damaged = apply(text, &damage);
        let got = SignIn::restore(config(s.client_secret), &damaged, restore_options(&s, NOW));
        let payload = |t: &str| t.trim().splitn(3, '.').nth(2).map(String::from);
        match got {
            Ok(restored) => {
                prop_assert_eq!(payload(&damaged), payload(text), "{:?}", damaged);
                prop_assert_eq!(restored.pending_step(), flow.pending_step());
                prop_assert_eq!(damaged.trim().split('.').next(), Some(SNAPSHOT_PREFIX));
                prop_assert_eq!(damaged.trim().split('.').nth(1), Some("v1"));
            }
            Err(error) => {
                assert_error_hides(&error, &scenario_secrets(&s));
                let typed = matches!(
                    error,
                    SnapshotError::UnknownFormat | SnapshotError::Corrupted
                ) || matches!(error, SnapshotError::UnsupportedVersion { version } if version != 1);
                prop_assert!(typed, "{:?} for {:?}", error, damaged);
                prop_assert!(damaged.trim() != text, "the snapshot itself was refused: {:?}", error);
            }
        }
    }

    /// With a valid envelope, a document missing a member it needs, or holding a value of the
    /// wrong type there, is refused with the typed error; optional members may go.
    #[test]
    fn incomplete_or_retyped_documents_are_refused(s in scenario(), edit in edit()) {
        let flow = drive(&s);
        let snapshot = flow.snapshot(at(NOW)).unwrap();
        let mut document = snapshot_document(snapshot.expose());
        // The untouched document in a fresh envelope restores: the envelope is right.
        let fresh = envelope(Value::Object(document.clone()).to_string().as_bytes());
        prop_assert!(SignIn::restore(config(s.client_secret), &fresh, restore_options(&s, NOW)).is_ok());

        let keys: Vec<String> = document.keys().cloned().collect();
        let mut step = document["step"].as_object().unwrap().clone();
        let kind = String::from(step["kind"].as_str().unwrap());
        let step_keys: Vec<String> = step.keys().cloned().collect();
        let expected = match &edit {
            Edit::Remove(i) => {
                let key = &keys[i.index(keys.len())];
                document.remove(key);
                top_level_refusal(key)
            }
            Edit::Retype(i, v) => {
                let key = &keys[i.index(keys.len())];
                let value = not_a_string(v);
                let refusal = match key.as_str() {
                    // saved_at is a number: a string, a fraction or a negative is wrong.
                    "saved_at" => (!matches!(&value, Value::Number(n) if n.is_u64()))
                        .then_some(SnapshotError::Corrupted),
                    // A flag: true, false, or nothing (null).
                    "stale_device" | "device_asked" => (!matches!(&value, Value::Bool(_) | Value::Null))
                        .then_some(SnapshotError::Corrupted),
                    // The requests sent so far: a count that fits u32, or nothing (null).
                    "requests" => (!(value.is_null()
                        || value.as_u64().is_some_and(|n| u32::try_from(n).is_ok())))
                        .then_some(SnapshotError::Corrupted),
                    // Required text is refused in any other type; optional text may be null.
                    _ => top_level_refusal(key)
                        .or_else(|| (!value.is_null()).then_some(SnapshotError::Corrupted)),
                };
                document.insert(key.clone(), if key == "saved_at" && refusal.is_none() { json!(NOW) } else { value });
                refusal
            }
            Edit::RemoveInStep(i) => {
                let key = &step_keys[i.index(step_keys.len())];
                step.remove(key);
                let required = step_member_required(&kind, key);
                document.insert("step".into(), Value::Object(step));
                required.then_some(SnapshotError::Corrupted)
            }
            Edit::RetypeInStep(i, v) => {
                let key = &step_keys[i.index(step_keys.len())];
                let value = not_a_string(v);
                let lenient = step_member_lenient(key, &value);
                let refused = !lenient && (key == "kind" || step_member_required(&kind, key));
                step.insert(key.clone(), value);
                document.insert("step".into(), Value::Object(step));
                refused.then_some(SnapshotError::Corrupted)
            }
        };
        let edited = envelope(Value::Object(document).to_string().as_bytes());
        let got = SignIn::restore(config(s.client_secret), &edited, restore_options(&s, NOW));
        match (expected, got) {
            (Some(expected), Err(error)) => {
                prop_assert_eq!(error, expected);
                assert_error_hides(&error, &scenario_secrets(&s));
            }
            (None, Ok(restored)) => prop_assert!(restored.pending_step().is_some()),
            (expected, got) => prop_assert!(false, "{:?}: expected {:?}, got {:?}", edit, expected, got.map(|f| f.pending_step().cloned())),
        }
    }

    /// The version has one spelling, "v1": others a number parser would read as 1 ("v01",
    /// "v+1") are `UnknownFormat`, like anything else that is not `v` and a plain number;
    /// another plain number is `UnsupportedVersion`.
    #[test]
    fn the_version_has_one_spelling(s in scenario(), (spelling, expected) in prop_oneof![
        Just((String::from("v1"), None)),
        Just((String::from("v0"), Some(SnapshotError::UnsupportedVersion { version: 0 }))),
        (2u64..100_000).prop_map(|version| {
            (format!("v{version}"), Some(SnapshotError::UnsupportedVersion { version }))
        }),
        prop_oneof![
            Just(String::from("v01")), Just(String::from("v+1")), Just(String::from("v001")),
            Just(String::from("V1")), Just(String::from("v")), Just(String::from("v-1")),
            Just(String::from("v1 ")), Just(String::from("v 1")), Just(String::from("1")),
            Just(String::from("v\u{ff11}")),
            // A leading zero, or more digits than a u64 holds.
            "v0[0-9]{1,3}", "v[0-9]{21}",
        ].prop_map(|spelling| (spelling, Some(SnapshotError::UnknownFormat))),
    ]) {
        let flow = drive(&s);
        let snapshot = flow.snapshot(at(NOW)).unwrap();
        let mut parts: Vec<&str> = snapshot.expose().split('.').collect();
        prop_assert_eq!(parts[1], "v1");
        parts[1] = &spelling;
        let respelled = parts.join(".");
        let got = SignIn::restore(config(s.client_secret), &respelled, restore_options(&s, NOW));
        match expected {
            None => prop_assert!(got.is_ok(), "{}: {:?}", spelling, got.err()),
            Some(error) => prop_assert_eq!(got.err(), Some(error), "{}", spelling),
        }
    }

    /// Arbitrary strings never panic `restore`; one that does not start with the prefix is
    /// `UnknownFormat`.
    #[test]
    fn restore_never_panics_on_strings(text in prop_oneof![
        any::<String>(),
        "[ \t\n]{0,2}[Cc]ognito-auth-sign-in(\\.v[0-9+]{0,3}(\\.[A-Za-z0-9_=-]{0,40}){0,3})?[ \n]?",
    ]) {
        let got = SignIn::restore(config(false), &text, RestoreOptions {
            now: at(NOW), max_age_secs: 300, entropy: entropy(0), device: Some(device()),
            password: Some(SecretString::new(PASSWORD)),
        });
        if text.trim().split('.').next() != Some(SNAPSHOT_PREFIX) {
            prop_assert_eq!(got.err(), Some(SnapshotError::UnknownFormat));
        } else if let Err(error) = got {
            assert_error_hides(&error, &[]);
        }
    }

    /// Arbitrary documents in a valid envelope never panic `restore`; what restores waits
    /// for a step and survives its own snapshot and restore.
    #[test]
    fn restore_never_panics_on_documents(document in snapshot_like_document(), device_given in any::<bool>()) {
        let options = || RestoreOptions {
            now: at(NOW), max_age_secs: 300, entropy: entropy(0),
            device: device_given.then(device), password: None,
        };
        let text = envelope(document.to_string().as_bytes());
        if let Ok(flow) = SignIn::restore(config(false), &text, options()) {
            let step = flow.pending_step().cloned();
            prop_assert!(step.is_some());
            let again = flow.snapshot(at(NOW)).unwrap();
            let restored = SignIn::restore(config(false), again.expose(), options()).unwrap();
            prop_assert_eq!(restored.pending_step().cloned(), step);
            prop_assert_eq!(restored.username(), flow.username());
        }
    }
}

/// Documents shaped like a snapshot's, every member optional and of any type.
fn snapshot_like_document() -> impl Strategy<Value = Value> {
    let kinds = vec![
        "sms_mfa",
        "totp",
        "otp",
        "select_mfa",
        "select_mfa_setup",
        "set_up_totp",
        "set_up_email_mfa",
        "new_password",
        "custom",
        "select_first_factor",
        "password",
        "web_authn",
        "other",
    ];
    let names = vec![
        "SMS_MFA",
        "totp",
        "EMAIL",
        "PASSWORD",
        "PASSWORD_SRP",
        "WEB_AUTHN",
        "fax",
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        "USER_SRP_AUTH",
        "USER_AUTH+EMAIL_OTP",
        "USER_AUTH+fax",
        "CUSTOM_AUTH+SRP",
        DEVICE_KEY,
        POOL,
        CLIENT,
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(json!(NOW)),
        select(names).prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    let value = leaf.prop_recursive(2, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    let step_keys = vec![
        "allowed",
        "secret",
        "username",
        "required_attributes",
        "user_attributes",
        "parameters",
        "available",
        "options",
        "delivery",
        "friendly_device_name",
    ];
    let step = (
        proptest::option::of(select(kinds)),
        proptest::collection::btree_map(select(step_keys), value.clone(), 0..4),
    )
        .prop_map(|(kind, members)| {
            let mut step: Map<String, Value> = members
                .into_iter()
                .map(|(k, v)| (String::from(k), v))
                .collect();
            if let Some(kind) = kind {
                step.insert("kind".into(), kind.into());
            }
            Value::Object(step)
        });
    let top_keys = vec![
        "typed_username",
        "username",
        "session",
        "flow",
        "device_key",
        "device_name",
        "stale_device",
        "challenge",
    ];
    (
        proptest::collection::btree_map(select(top_keys), value, 0..8),
        proptest::option::of(step),
        any::<bool>(),
    )
        .prop_map(|(members, step, complete)| {
            let mut document: Map<String, Value> = members
                .into_iter()
                .map(|(k, v)| (String::from(k), v))
                .collect();
            if complete {
                document.insert("saved_at".into(), json!(NOW));
                document.insert("user_pool_id".into(), POOL.into());
                document.insert("client_id".into(), CLIENT.into());
            }
            if let Some(step) = step {
                document.insert("step".into(), step);
            }
            Value::Object(document)
        })
}
