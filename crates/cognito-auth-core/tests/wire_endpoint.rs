//! `Endpoint`, `Operation`, `ChallengeName` and the protocol constants.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_core::UserPoolId;
use cognito_auth_core::wire::{
    CONTENT_TYPE, ChallengeName, ERROR_TYPE_HEADER, Endpoint, EndpointError, Operation, is_success,
};

#[test]
fn regional_endpoints() {
    for (region, url) in [
        ("us-east-1", "https://cognito-idp.us-east-1.amazonaws.com/"),
        (
            "ap-southeast-5",
            "https://cognito-idp.ap-southeast-5.amazonaws.com/",
        ),
        (
            "us-gov-west-1",
            "https://cognito-idp.us-gov-west-1.amazonaws.com/",
        ),
        (
            "cn-north-1",
            "https://cognito-idp.cn-north-1.amazonaws.com.cn/",
        ),
        (
            "cn-northwest-1",
            "https://cognito-idp.cn-northwest-1.amazonaws.com.cn/",
        ),
    ] {
        assert_eq!(Endpoint::for_region(region).unwrap().as_str(), url);
    }
}

#[test]
fn malformed_regions() {
    use EndpointError::*;
    for (region, error) in [
        ("", RegionEmpty),
        ("US-EAST-1", RegionInvalidCharacter { position: 0 }),
        ("us east-1", RegionInvalidCharacter { position: 2 }),
        (
            "us-east-1.evil.com/x",
            RegionInvalidCharacter { position: 9 },
        ),
        ("us_gov_west_1", RegionInvalidCharacter { position: 2 }),
        ("-us-east-1", RegionInvalidCharacter { position: 0 }),
        ("us-east-1-", RegionInvalidCharacter { position: 9 }),
        ("us-east-1\n", RegionInvalidCharacter { position: 9 }),
        ("ü", RegionInvalidCharacter { position: 0 }),
    ] {
        assert_eq!(Endpoint::for_region(region), Err(error), "{region:?}");
    }
    let long = "a".repeat(Endpoint::MAX_REGION_LEN + 1);
    assert_eq!(
        Endpoint::for_region(&long),
        Err(RegionTooLong {
            len: Endpoint::MAX_REGION_LEN + 1
        })
    );
    assert!(
        Endpoint::for_region(&long[1..]).is_ok(),
        "exactly the limit"
    );
}

#[test]
fn user_pool_endpoints() {
    let pool = UserPoolId::parse("cn-north-1_Abc123").unwrap();
    assert_eq!(
        Endpoint::for_user_pool(&pool).unwrap().as_str(),
        "https://cognito-idp.cn-north-1.amazonaws.com.cn/"
    );
    let odd = UserPoolId::parse("us_gov_west_1_X").unwrap();
    assert_eq!(
        Endpoint::for_user_pool(&odd),
        Err(EndpointError::RegionInvalidCharacter { position: 2 })
    );
}

#[test]
fn custom_endpoints() {
    for url in [
        "http://127.0.0.1:9229/",
        "http://localhost:4566",
        "https://proxy.example.com/cognito?x=1",
        "HTTPS://EXAMPLE.COM/",
        "http://[::1]:5001/",
        "https://user@host/",
    ] {
        assert_eq!(Endpoint::custom(url).unwrap().as_str(), url);
    }
    use EndpointError::*;
    for (url, error) in [
        ("", UrlEmpty),
        ("   ", UrlInvalidCharacter { position: 0 }),
        (" http://localhost/", UrlInvalidCharacter { position: 0 }),
        ("http://local host/", UrlInvalidCharacter { position: 12 }),
        ("http://localhost/\n", UrlInvalidCharacter { position: 17 }),
        (
            "http://bücher.example/",
            UrlInvalidCharacter { position: 8 },
        ),
        ("ftp://localhost/", UrlScheme),
        ("localhost:9229", UrlScheme),
        ("javascript:alert(1)", UrlScheme),
        ("http:/localhost", UrlScheme),
        ("http://", UrlNoHost),
        ("https:///path", UrlNoHost),
        ("http://:9229/", UrlNoHost),
        ("http://user@/", UrlNoHost),
    ] {
        assert_eq!(Endpoint::custom(url), Err(error), "{url:?}");
    }
    let long = format!("http://h/{}", "a".repeat(Endpoint::MAX_URL_LEN));
    assert!(matches!(Endpoint::custom(&long), Err(UrlTooLong { .. })));
}

/// Issue 14: plain `http://` only to this machine, unless the caller opts in by name.
#[test]
fn plain_http_only_to_loopback_unless_allowed() {
    for url in [
        "http://127.0.0.1:9229/",
        "http://127.255.255.254/",
        "HTTP://LocalHost:4566",
        "http://localhost",
        "http://[::1]/",
        "http://[0:0:0:0:0:0:0:1]:80/",
        "http://[::ffff:127.0.0.1]:9/",
        "http://127.0.0.1?x#y",
    ] {
        let endpoint = Endpoint::custom(url).unwrap();
        assert!(endpoint.is_loopback(), "{url}");
        assert!(!endpoint.is_insecure(), "{url}");
        assert!(!endpoint.is_https(), "{url}");
    }
    for url in [
        "http://cognito.example.com/",
        "http://10.0.0.1:4566/",
        "http://192.168.1.10/",
        "http://0.0.0.0:4566/",
        "http://128.0.0.1/",
        // Look like loopback to a careless reader, are not (or are parsed differently).
        "http://localhost.example.com/",
        "http://127.0.0.1.nip.io/",
        "http://127.0.0.1@evil.example/",
        "http://localhost:80@evil.example/",
        "http://user@localhost/",
        "http://127.1/",
        "http://0x7f.0.0.1/",
        "http://2130706433/",
        "http://[::2]/",
        "http://[fe80::1%25lo]/",
        "http://localhost:port/",
        "http://localhost:/",
    ] {
        assert_eq!(
            Endpoint::custom(url),
            Err(EndpointError::InsecureHttp),
            "{url}"
        );
        let allowed = Endpoint::custom_allowing_insecure_http(url).unwrap();
        assert_eq!(allowed.as_str(), url);
        assert!(allowed.is_insecure(), "{url}");
        assert!(!allowed.is_loopback(), "{url}");
    }
    // HTTPS is fine anywhere, loopback or not; the opt-in changes nothing for it.
    for url in ["https://cognito.example.com/", "https://127.0.0.1:8443/"] {
        let endpoint = Endpoint::custom(url).unwrap();
        assert!(endpoint.is_https() && !endpoint.is_insecure(), "{url}");
        assert_eq!(Endpoint::custom_allowing_insecure_http(url), Ok(endpoint));
    }
    // The regional endpoints are HTTPS.
    assert!(Endpoint::for_region("us-east-1").unwrap().is_https());
    // The opt-in still refuses what is not a URL.
    assert_eq!(
        Endpoint::custom_allowing_insecure_http("ftp://example.com/"),
        Err(EndpointError::UrlScheme)
    );
    assert_eq!(
        Endpoint::custom_allowing_insecure_http("http://:80/"),
        Err(EndpointError::UrlNoHost)
    );
    assert!(
        EndpointError::InsecureHttp
            .to_string()
            .contains("plain http://")
    );
}

#[test]
fn endpoint_errors_display() {
    assert_eq!(
        EndpointError::UrlScheme.to_string(),
        "endpoint URL must start with http:// or https://"
    );
    assert!(
        EndpointError::RegionInvalidCharacter { position: 3 }
            .to_string()
            .contains("byte 3")
    );
}

#[test]
fn operations_and_constants() {
    assert_eq!(CONTENT_TYPE, "application/x-amz-json-1.1");
    assert_eq!(ERROR_TYPE_HEADER, "x-amzn-errortype");
    assert_eq!(Operation::InitiateAuth.name(), "InitiateAuth");
    assert_eq!(
        Operation::SetUserMFAPreference.target(),
        "AWSCognitoIdentityProviderService.SetUserMFAPreference"
    );
    assert_eq!(
        Operation::GetUserAttributeVerificationCode.to_string(),
        "GetUserAttributeVerificationCode"
    );
    assert!(is_success(200) && is_success(299));
    assert!(!is_success(199) && !is_success(300) && !is_success(429));
}

#[test]
fn challenge_names() {
    assert_eq!(
        ChallengeName::parse("NEW_PASSWORD_REQUIRED"),
        ChallengeName::NewPasswordRequired
    );
    assert_eq!(ChallengeName::parse("WEB_AUTHN").as_str(), "WEB_AUTHN");
    assert_eq!(ChallengeName::DeviceSrpAuth.to_string(), "DEVICE_SRP_AUTH");
    assert_eq!(
        ChallengeName::parse("CUSTOM"),
        ChallengeName::Other("CUSTOM".into())
    );
}
