#!/usr/bin/env python3
"""Independent implementation of Amplify's UserContextData.EncodedData, for known-answer tests.

Written from the description in the team's reference notes (beyond.md section 1: Amplify
Android `asf/UserContextDataProvider.kt` + `SignatureGenerator.kt`, Amplify Swift
`ASF/CognitoUserPoolASF.swift`, Amplify Flutter `asf/asf_worker.dart`), not from the Rust code
and not from Amplify's code. No Amplify test pins a full EncodedData, so these values are
Python's `json`, `hmac` and `base64`, not AWS output.

    python3 generate.py > vectors.json      # the Rust test reads vectors.json

Only the standard library is used.
"""

import base64
import hashlib
import hmac
import json
import sys

KEYS = {
    "application_name": "ApplicationName",
    "application_target_sdk": "ApplicationTargetSdk",
    "application_version": "ApplicationVersion",
    "device_name": "DeviceName",
    "device_fingerprint": "DeviceFingerprint",
    "device_os_release_version": "DeviceOsReleaseVersion",
    "build_type": "BuildType",
    "platform": "Platform",
    "client_timezone": "ClientTimezone",
    "device_language": "DeviceLanguage",
    "screen_height_pixels": "ScreenHeightPixels",
    "screen_width_pixels": "ScreenWidthPixels",
    "third_party_device_id": "ThirdPartyDeviceId",
    "device_id": "DeviceId",
    "device_brand": "DeviceBrand",
    "device_hardware": "DeviceHardware",
    "product": "Product",
    "device_sdk_version": "DeviceSdkVersion",
    "phone_type": "PhoneType",
}

VERSIONS = {"android": "ANDROID20171114", "ios": "IOS20171114", "flutter": "FLUTTER20230306"}


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def context_data(facts, extra):
    # Values cut at the first NUL, empty ones dropped; a typed fact wins over an extra.
    out = {}
    for key, value in extra.items():
        key = key.split("\0", 1)[0]
        value = value.split("\0", 1)[0]
        if value:
            out[key] = value
    for field, value in facts.items():
        value = str(value).split("\0", 1)[0]
        if value:
            out[KEYS[field]] = value
    return dict(sorted(out.items()))


def encode(case):
    version = VERSIONS[case["version"]]
    payload = (
        '{"contextData":' + compact(context_data(case["facts"], case["extra"]))
        + ',"username":' + compact(case["username"])
        + ',"userPoolId":' + compact(case["user_pool_id"])
        + ',"timestamp":' + compact(str(case["timestamp_ms"])) + "}"
    )
    mac = hmac.new(case["client_id"].encode(), (version + payload).encode(), hashlib.sha256)
    signature = base64.b64encode(mac.digest()).decode()
    outer = compact({"payload": payload, "signature": signature, "version": version})
    encoded = base64.b64encode(outer.encode()).decode()
    return dict(case, payload=payload, signature=signature, encoded_data=encoded)


CASES = [
    {
        "name": "beyond_md_android_device_id",
        "version": "android",
        "client_id": "client-id",
        "user_pool_id": "us-east-1_pool",
        "username": "user",
        "timestamp_ms": 1790000000123,
        "facts": {"device_id": "deviceId"},
        "extra": {},
    },
    {
        "name": "android_robolectric_like",
        "version": "android",
        "client_id": "1example23456789abcdefghij",
        "user_pool_id": "us-east-1_Abc123XyZ",
        "username": "alice@example.com",
        "timestamp_ms": 1800000000000,
        "facts": {
            "application_name": "My App",
            "application_target_sdk": "34",
            "application_version": "1.2.3",
            "device_name": "Pixel 8",
            "device_fingerprint": "google/shiba/shiba:14/AP1A.240305.019.A1/11445699:user/release-keys",
            "device_os_release_version": "14",
            "build_type": "user",
            "platform": "ANDROID",
            "client_timezone": "00:00",
            "device_language": "en_US",
            "screen_height_pixels": 150,
            "screen_width_pixels": 75,
            "third_party_device_id": "android_id",
            "device_id": "4c3a9f9e-0b7e-4d39-9a1e-3a1f3c1d2b7a:1790000000000",
            "device_brand": "google",
            "device_hardware": "shiba",
            "product": "shiba",
            "device_sdk_version": "34",
        },
        "extra": {},
    },
    {
        "name": "ios_nul_padded_unicode_quotes",
        "version": "ios",
        "client_id": "clientId",
        "user_pool_id": "eu-west-1_Xy9",
        "username": "zo\u00eb \"the\" user\\",
        "timestamp_ms": 1,
        "facts": {
            "application_name": "com.example.app",
            "application_version": "2.0-45",
            "device_name": "Zo\u00eb\u2019s iPhone \U0001F600",
            "device_fingerprint": "Apple/iPhone/iPhone15,2/-:18.0/-/-:-/release",
            "platform": "iOS",
            "client_timezone": "-07:00",
            "device_language": "fr-CA",
            "phone_type": "iPhone15,2\u0000\u0000\u0000\u0000",
            "build_type": "",
            "device_id": "tab\there\nnewline\u0001ctl",
        },
        "extra": {"Custom/Key": "slash/value", "Empty": "", "PhoneType": "loses to the typed field"},
    },
    {
        "name": "flutter_few_facts",
        "version": "flutter",
        "client_id": "7abcdefghijklmnopqrstuvwxyz",
        "user_pool_id": "ap-southeast-2_Q1w2E3r4T",
        "username": "+12065551212",
        "timestamp_ms": 18446744073709551615,
        "facts": {
            "platform": "android",
            "device_id": "a1b2c3:2026-12-07T00:00:00.000Z",
            "client_timezone": "+05:30",
        },
        "extra": {},
    },
]


def main():
    json.dump([encode(case) for case in CASES], sys.stdout, indent=1, ensure_ascii=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
