"""device_facts_from_host(): the DeviceFacts a Python host can give, in each version's form.

The time zone is set through TZ with POSIX rules (no tzdata needed) and time.tzset(); the
language through the environment variables gettext reads. The EncodedData is taken apart and
its signature recomputed with Python's hmac (independent of the Rust core).
"""

import base64
import hashlib
import hmac
import json
import locale
import platform
import time

import pytest

import cognito_auth_ffi as ffi
from cognito_auth_ffi.device_facts import client_timezone, device_facts_from_host, device_language

ANDROID = ffi.ContextDataVersion.ANDROID
IOS = ffi.ContextDataVersion.IOS
FLUTTER = ffi.ContextDataVersion.FLUTTER
JULY_2026 = 1783000000.0  # 2026-07-02T08:26:40Z: daylight saving time in Los Angeles
JANUARY_2026 = 1768000000.0  # 2026-01-09T23:06:40Z
LOS_ANGELES = "PST8PDT,M3.2.0,M11.1.0"
KOLKATA = "IST-5:30"


@pytest.fixture
def zone(monkeypatch):
    """Sets TZ for the test (and time.tzset()); the process's zone is restored afterwards."""
    def set_zone(tz):
        monkeypatch.setenv("TZ", tz)
        time.tzset()
    yield set_zone
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def language(monkeypatch):
    """Clears the four language variables, then sets the given ones."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)

    def set_language(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)
    return set_language


def test_host_values_and_the_apps_own(zone, language):
    zone("UTC0")
    language(LANG="en_US.UTF-8")
    facts = device_facts_from_host(ANDROID, device_id="3f2c9a:1790000000123",
                                   application_name="Example", application_version="2.1.0")
    assert facts.platform == platform.system() and facts.platform
    assert facts.device_os_release_version == platform.release()
    assert facts.phone_type == platform.machine()
    assert facts.application_name == "Example"
    assert facts.application_version == "2.1.0"
    assert facts.device_id == "3f2c9a:1790000000123"
    assert facts.client_timezone == "00:00"
    assert facts.device_language == "en_US"
    # what the host cannot give stays None: nothing is made up, the host name is not read
    for name in ("device_name", "device_fingerprint", "build_type", "application_target_sdk",
                 "screen_height_pixels", "screen_width_pixels", "third_party_device_id",
                 "device_brand", "device_hardware", "product", "device_sdk_version"):
        assert getattr(facts, name) is None, name
    assert facts.extra == {}


def test_client_timezone_per_version(zone):
    zone(LOS_ANGELES)
    # Amplify Android: the raw (standard) offset, without '+', all year
    assert client_timezone(ANDROID, JULY_2026) == "-08:00"
    assert device_facts_from_host(ANDROID, now=JULY_2026).client_timezone == "-08:00"
    # Amplify Swift / Flutter: the offset in effect, signed
    assert client_timezone(IOS, JULY_2026) == "-07:00"
    assert device_facts_from_host(FLUTTER, now=JANUARY_2026).client_timezone == "-08:00"
    zone(KOLKATA)
    assert client_timezone(ANDROID) == "05:30"
    assert client_timezone(FLUTTER) == "+05:30"
    zone("UTC0")
    assert client_timezone(IOS) == "+00:00"


def test_device_language_per_version_and_lookup_order(language, monkeypatch):
    language(LANG="pt_BR.UTF-8")
    assert device_language(ANDROID) == "pt_BR"
    assert device_language(IOS) == "pt-BR"
    language(LC_MESSAGES="de_DE@euro")
    assert device_language(ANDROID) == "de_DE"
    language(LC_ALL="fr_CA.ISO-8859-1")
    assert device_language(FLUTTER) == "fr-CA"
    language(LANGUAGE="sv_SE:en_US")
    assert device_language(ANDROID) == "sv_SE"


def test_no_language_in_the_c_locale(language, monkeypatch):
    language(LANG="C.UTF-8", LC_ALL="POSIX")
    monkeypatch.setattr(locale, "getlocale", lambda *args: (None, None))
    assert device_language(ANDROID) is None
    monkeypatch.setattr(locale, "getlocale", lambda *args: ("C", "UTF-8"))
    assert device_facts_from_host(IOS).device_language is None
    monkeypatch.setattr(locale, "getlocale", lambda *args: ("nl_NL", "UTF-8"))
    assert device_language(IOS) == "nl-NL"


def test_blank_values_stay_none(monkeypatch):
    monkeypatch.setattr(platform, "machine", lambda: "")
    facts = device_facts_from_host(IOS, device_id=" ", application_name="", device_name="\t")
    assert facts.device_id is None and facts.application_name is None
    assert facts.device_name is None and facts.phone_type is None


def test_signed_into_encoded_data_under_amplifys_keys(zone, language):
    zone(KOLKATA)
    language(LANG="en_GB.UTF-8")
    facts = device_facts_from_host(ANDROID, device_id="install-1", device_name="build-agent-7")
    data = ffi.ContextData(version=ANDROID, facts=facts)
    config = ffi.ClientConfig(user_pool_id="us-east-1_pool", client_id="client-id")
    encoded = ffi.encode_context_data(data, config, "user", 1790000000123)
    outer = json.loads(base64.b64decode(encoded, validate=True))
    mac = hmac.new(b"client-id", ("ANDROID20171114" + outer["payload"]).encode(), hashlib.sha256)
    assert outer["signature"] == base64.b64encode(mac.digest()).decode()
    assert json.loads(outer["payload"])["contextData"] == {
        "Platform": platform.system(),
        "DeviceOsReleaseVersion": platform.release(),
        "PhoneType": platform.machine(),
        "ClientTimezone": "05:30",
        "DeviceLanguage": "en_GB",
        "DeviceName": "build-agent-7",
        "DeviceId": "install-1",
    }
