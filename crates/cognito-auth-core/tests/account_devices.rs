//! Devices: `ListDevices`, `ForgetDevice`, `UpdateDeviceStatus` request bodies, response parsing
//! and error mapping.
//!
//! No installable emulator implements the device operations (MiniStack answers `InvalidAction`,
//! moto HTTP 500; see shared/reference/emulator.md), so these are checked against recorded
//! shapes only: the `DeviceType` of the Cognito API model, as the AWS CLI reference prints it
//! (`DeviceCreateDate` and friends are epoch seconds with a fraction).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_core::account::{
    AccountError, AccountOperation, ForgetDevice, LIST_DEVICES_MAX_LIMIT, ListDevices,
    RememberedStatus, UpdateDeviceStatus,
};
use cognito_auth_core::sign_in::ClientConfig;
use cognito_auth_core::wire::{HttpResponse, Operation, ResponseError, ServiceErrorKind};
use cognito_auth_core::{SecretString, UserPoolId};
use serde_json::{Value, json};

const ACCESS: &str = "eyJraWQiOiJhY2Nlc3Mta2lkIiwiYWxnIjoiUlMyNTYifQ.access-payload.access-sig";
const DEVICE_KEY: &str = "us-west-2_a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
const OTHER_KEY: &str = "us-west-2_a1b2c3d4-5678-90ab-cdef-EXAMPLE22222";

fn client() -> ClientConfig {
    ClientConfig::new(UserPoolId::parse("us-west-2_EXAMPLE").unwrap(), "client-id")
        .unwrap()
        .with_client_secret(SecretString::new("client-secret"))
        .unwrap()
}

fn access() -> SecretString {
    SecretString::new(ACCESS)
}

fn body_of(operation: &impl AccountOperation) -> (Operation, Value) {
    let request = operation.request(&client()).unwrap();
    (
        request.operation(),
        serde_json::from_str(request.body()).unwrap(),
    )
}

/// A `ListDevices` response as the AWS CLI reference shows one: two devices, one remembered
/// and named, one not remembered and without a name.
fn recorded_list() -> Value {
    json!({
        "Devices": [
            {
                "DeviceKey": DEVICE_KEY,
                "DeviceAttributes": [
                    {"Name": "device_status", "Value": "valid"},
                    {"Name": "device_name", "Value": "MyDevice"},
                    {"Name": "dev:device_arn", "Value": format!("arn:aws:cognito-idp:us-west-2:123456789012:owner/diego.us-west-2_EXAMPLE/device/{DEVICE_KEY}")},
                    {"Name": "dev:device_owner", "Value": "diego.us-west-2_EXAMPLE"},
                    {"Name": "last_ip_used", "Value": "192.0.2.1"},
                    {"Name": "dev:device_remembered_status", "Value": "remembered"},
                    {"Name": "dev:device_sdk", "Value": "aws-sdk"}
                ],
                "DeviceCreateDate": 1715100742.022,
                "DeviceLastModifiedDate": 1723233651.167,
                "DeviceLastAuthenticatedDate": 1715100742.0
            },
            {
                "DeviceKey": OTHER_KEY,
                "DeviceAttributes": [
                    {"Name": "device_status", "Value": "valid"},
                    {"Name": "last_ip_used", "Value": "192.0.2.2"},
                    {"Name": "dev:device_remembered_status", "Value": "not_remembered"}
                ],
                "DeviceCreateDate": 1715100000,
                "DeviceLastModifiedDate": 1715100000
            }
        ],
        "PaginationToken": "eyJuZXh0IjoyfQ"
    })
}

// ---------------------------------------------------------------------------------------------
// ListDevices

#[test]
fn list_devices_bodies() {
    let (operation, body) = body_of(&ListDevices::new(access()));
    assert_eq!(operation, Operation::ListDevices);
    assert_eq!(
        body,
        json!({"AccessToken": ACCESS}),
        "no client id or secret"
    );

    let next = ListDevices::new(access())
        .with_limit(60)
        .unwrap()
        .with_pagination_token("eyJuZXh0IjoyfQ");
    assert_eq!(
        body_of(&next).1,
        json!({"AccessToken": ACCESS, "Limit": 60, "PaginationToken": "eyJuZXh0IjoyfQ"})
    );
    assert_eq!(
        body_of(&ListDevices::new(access()).with_limit(0).unwrap()).1,
        json!({"AccessToken": ACCESS, "Limit": 0})
    );
}

#[test]
fn list_devices_refuses_bad_input() {
    assert_eq!(
        ListDevices::new(access()).with_limit(61).unwrap_err(),
        AccountError::LimitTooLarge {
            limit: 61,
            max: LIST_DEVICES_MAX_LIMIT
        }
    );
    assert_eq!(
        ListDevices::new(SecretString::new(""))
            .request(&client())
            .unwrap_err(),
        AccountError::EmptyField {
            field: "access_token"
        }
    );
    assert_eq!(
        ListDevices::new(access())
            .with_pagination_token(" ")
            .request(&client())
            .unwrap_err(),
        AccountError::EmptyField {
            field: "pagination_token"
        }
    );
}

#[test]
fn list_devices_parses_the_recorded_shape() {
    let body = recorded_list().to_string();
    let page = ListDevices::new(access())
        .parse_response(HttpResponse::new(200, body.as_bytes()))
        .unwrap();
    assert_eq!(page.pagination_token.as_deref(), Some("eyJuZXh0IjoyfQ"));
    assert_eq!(page.devices.len(), 2);

    let first = &page.devices[0];
    assert_eq!(first.device_key, DEVICE_KEY);
    assert_eq!(first.name(), Some("MyDevice"));
    assert_eq!(
        first.remembered_status(),
        Some(RememberedStatus::Remembered)
    );
    assert_eq!(first.created, Some(1_715_100_742), "fraction dropped");
    assert_eq!(first.last_modified, Some(1_723_233_651));
    assert_eq!(first.last_authenticated, Some(1_715_100_742));
    assert_eq!(first.attributes.len(), 7);
    assert_eq!(first.attributes["last_ip_used"], "192.0.2.1");
    assert_eq!(first.attributes["device_status"], "valid");

    let second = &page.devices[1];
    assert_eq!(second.device_key, OTHER_KEY);
    assert_eq!(second.name(), None);
    assert_eq!(
        second.remembered_status(),
        Some(RememberedStatus::NotRemembered)
    );
    assert_eq!(second.created, Some(1_715_100_000));
    assert_eq!(second.last_authenticated, None);
}

#[test]
fn list_devices_last_and_empty_pages() {
    let list = ListDevices::new(access());
    for body in [
        &br#"{"Devices":[]}"#[..],
        b"{}",
        br#"{"Devices":null,"PaginationToken":null}"#,
        br#"{"Devices":[],"PaginationToken":""}"#,
    ] {
        let page = list.parse_response(HttpResponse::new(200, body)).unwrap();
        assert!(page.devices.is_empty());
        assert_eq!(
            page.pagination_token,
            None,
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    // A minimal device: only its key.
    let page = list
        .parse_response(HttpResponse::new(
            200,
            br#"{"Devices":[{"DeviceKey":"k"}]}"#,
        ))
        .unwrap();
    assert_eq!(page.devices[0].device_key, "k");
    assert!(page.devices[0].attributes.is_empty());
    assert_eq!(page.devices[0].remembered_status(), None);
    assert_eq!(page.devices[0].created, None);
}

#[test]
fn list_devices_refuses_bodies_that_are_not_devices() {
    let list = ListDevices::new(access());
    let wrong = |field| AccountError::Response(ResponseError::FieldHasWrongType { field });
    for (body, error) in [
        (r#"{"Devices":{}}"#, wrong("Devices")),
        (r#"{"Devices":["k"]}"#, wrong("Devices")),
        (
            r#"{"Devices":[{}]}"#,
            AccountError::Response(ResponseError::MissingField { field: "DeviceKey" }),
        ),
        (
            r#"{"Devices":[{"DeviceKey":""}]}"#,
            AccountError::Response(ResponseError::MissingField { field: "DeviceKey" }),
        ),
        (r#"{"Devices":[{"DeviceKey":1}]}"#, wrong("DeviceKey")),
        (
            r#"{"Devices":[{"DeviceKey":"k","DeviceAttributes":{}}]}"#,
            wrong("DeviceAttributes"),
        ),
        (
            r#"{"Devices":[{"DeviceKey":"k","DeviceAttributes":[{"Value":"v"}]}]}"#,
            wrong("DeviceAttributes"),
        ),
        (
            r#"{"Devices":[{"DeviceKey":"k","DeviceAttributes":[{"Name":"n","Value":1}]}]}"#,
            wrong("DeviceAttributes"),
        ),
        (
            r#"{"Devices":[{"DeviceKey":"k","DeviceCreateDate":"2024-05-07T16:52:22Z"}]}"#,
            wrong("DeviceCreateDate"),
        ),
        (
            r#"{"Devices":[{"DeviceKey":"k","DeviceLastModifiedDate":-1.5}]}"#,
            wrong("DeviceLastModifiedDate"),
        ),
        (r#"{"PaginationToken":7}"#, wrong("PaginationToken")),
        ("[]", AccountError::Response(ResponseError::NotAnObject)),
    ] {
        assert_eq!(
            list.parse_response(HttpResponse::new(200, body.as_bytes())),
            Err(error),
            "{body}"
        );
    }
    // An attribute without a value is kept, empty.
    let page = list
        .parse_response(HttpResponse::new(
            200,
            br#"{"Devices":[{"DeviceKey":"k","DeviceAttributes":[{"Name":"device_name"}]}]}"#,
        ))
        .unwrap();
    assert_eq!(page.devices[0].name(), Some(""));
}

// ---------------------------------------------------------------------------------------------
// ForgetDevice, UpdateDeviceStatus

#[test]
fn forget_device_body() {
    let (operation, body) = body_of(&ForgetDevice::new(access(), DEVICE_KEY));
    assert_eq!(operation, Operation::ForgetDevice);
    assert_eq!(
        body,
        json!({"AccessToken": ACCESS, "DeviceKey": DEVICE_KEY})
    );
    assert_eq!(
        ForgetDevice::new(access(), "")
            .request(&client())
            .unwrap_err(),
        AccountError::EmptyField {
            field: "device_key"
        }
    );
    assert_eq!(
        ForgetDevice::new(SecretString::new(""), DEVICE_KEY)
            .request(&client())
            .unwrap_err(),
        AccountError::EmptyField {
            field: "access_token"
        }
    );
}

#[test]
fn update_device_status_bodies() {
    for (remembered, status) in [(true, "remembered"), (false, "not_remembered")] {
        let update = UpdateDeviceStatus::new(access(), DEVICE_KEY, remembered);
        let (operation, body) = body_of(&update);
        assert_eq!(operation, Operation::UpdateDeviceStatus);
        let expected = json!({"AccessToken": ACCESS, "DeviceKey": DEVICE_KEY, "DeviceRememberedStatus": status});
        assert_eq!(body, expected);
    }
    assert_eq!(
        UpdateDeviceStatus::new(access(), " ", true)
            .request(&client())
            .unwrap_err(),
        AccountError::EmptyField {
            field: "device_key"
        }
    );
    assert_eq!(RememberedStatus::Remembered.as_str(), "remembered");
    assert_eq!(RememberedStatus::NotRemembered.as_str(), "not_remembered");
}

#[test]
fn device_responses_and_errors() {
    let forget = ForgetDevice::new(access(), DEVICE_KEY);
    let update = UpdateDeviceStatus::new(access(), DEVICE_KEY, true);
    let list = ListDevices::new(access());
    assert_eq!(forget.parse_response(HttpResponse::new(200, b"{}")), Ok(()));
    assert_eq!(forget.parse_response(HttpResponse::new(200, b"")), Ok(()));
    assert_eq!(update.parse_response(HttpResponse::new(200, b"{}")), Ok(()));
    for (code, message, kind, restarts) in [
        (
            "ResourceNotFoundException",
            "Device does not exist.",
            ServiceErrorKind::ResourceNotFound,
            true,
        ),
        (
            "NotAuthorizedException",
            "Access Token has been revoked",
            ServiceErrorKind::NotAuthorized,
            true,
        ),
        (
            "InvalidUserPoolConfigurationException",
            "Device tracking is not enabled",
            ServiceErrorKind::InvalidUserPoolConfiguration,
            false,
        ),
        (
            "InvalidParameterException",
            "1 validation error detected: Value '61' at 'limit'",
            ServiceErrorKind::InvalidParameter,
            false,
        ),
        (
            "TooManyRequestsException",
            "Rate exceeded",
            ServiceErrorKind::TooManyRequests,
            false,
        ),
    ] {
        let body = json!({"__type": code, "message": message}).to_string();
        let response = HttpResponse::new(400, body.as_bytes());
        let errors = [
            forget.parse_response(response).map(|()| 0),
            update.parse_response(response).map(|()| 0),
            list.parse_response(response).map(|page| page.devices.len()),
        ];
        for error in errors {
            let Err(AccountError::Service(error)) = error else {
                panic!("{code}: {error:?}")
            };
            assert_eq!(error.kind(), kind, "{code}");
            assert_eq!(error.message(), message);
            assert_eq!(error.restarts_sign_in(), restarts, "{code}");
        }
    }
}

#[test]
fn debug_output_shows_no_access_token() {
    let texts = [
        format!(
            "{:?}",
            ListDevices::new(access()).with_pagination_token("p")
        ),
        format!("{:?}", ForgetDevice::new(access(), DEVICE_KEY)),
        format!("{:#?}", UpdateDeviceStatus::new(access(), DEVICE_KEY, true)),
        format!(
            "{:?}",
            UpdateDeviceStatus::new(access(), DEVICE_KEY, true)
                .request(&client())
                .unwrap()
        ),
    ];
    for text in texts {
        assert!(!text.contains("access-payload"), "{text}");
    }
}
