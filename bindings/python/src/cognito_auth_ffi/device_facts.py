"""Threat-protection device facts from what the host can read, for `ContextData`.

`device_facts_from_host()` fills a `DeviceFacts` from the standard library, the way Amplify's
mobile SDKs fill theirs from the platform (their sources are described in the project's
reference notes), for a Python app on a desktop or a server::

    import cognito_auth_ffi as ca
    from cognito_auth_ffi.device_facts import device_facts_from_host

    facts = device_facts_from_host(ca.ContextDataVersion.ANDROID, device_id=stored_install_id,
                                   application_name="Example", application_version="2.1.0")
    context = ca.ContextData(version=ca.ContextDataVersion.ANDROID, facts=facts)
    session = ca.SignInSession.with_context_data(config, credentials, context)

What is read:

- `platform`: `platform.system()` (`Linux`, `Darwin`, `Windows`);
- `device_os_release_version`: `platform.release()`;
- `phone_type`: `platform.machine()` (`x86_64`, `arm64`: the `utsname` machine, which is what
  Amplify Swift sends under this key);
- `client_timezone`: for `ANDROID` the standard offset `-time.timezone` (no daylight saving
  time, as Amplify Android's `TimeZone.getRawOffset()`), for `IOS` / `FLUTTER` the offset in
  effect at `now` (`tm_gmtoff`), formatted by the library's `format_client_timezone`;
- `device_language`: the first of `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG` (as gettext
  looks them up) that names a language, else `locale.getlocale()`; the encoding and modifier
  cut off; `en_US` for `ANDROID` (`Locale.toString()`), `en-US` for `IOS` / `FLUTTER`; `C` and
  `POSIX` are no language.

`application_name`, `application_version`, `device_name` and `device_id` (the app's own stable
per-install id; Amplify stores a random UUID once) are the caller's: this function never makes
them up. Everything else (fingerprint, screen size, SDK levels, brand) stays `None`. The host
name is not read (it may name a person: pass `device_name` if the app has one), nor any serial
number, MAC address or user name.
"""

from __future__ import annotations

import locale
import os
import platform
import time
from typing import Optional

from ._uniffi.cognito_auth_ffi import ContextDataVersion, DeviceFacts, format_client_timezone

__all__ = ["device_facts_from_host", "client_timezone", "device_language"]

_LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
_NO_LANGUAGE = {"", "C", "POSIX"}


def _non_blank(value: Optional[str]) -> Optional[str]:
    return value if value is not None and value.strip() else None


def client_timezone(version: ContextDataVersion, now: Optional[float] = None) -> str:
    """`ClientTimezone` of the process's local time zone (`TZ`, else the system's) as `version`'s
    SDK writes it: `ANDROID` the standard offset (`-08:00` in Los Angeles all year, `05:30`,
    `00:00`), `IOS` / `FLUTTER` the offset at `now` (default: the current time; `-07:00` in Los
    Angeles in July, `+05:30`, `+00:00`)."""
    if version == ContextDataVersion.ANDROID:
        offset = -time.timezone
    else:
        offset = time.localtime(now).tm_gmtoff
    formatted: str = format_client_timezone(offset, version)  # (typed here: the stub may not be)
    return formatted


def device_language(version: ContextDataVersion) -> Optional[str]:
    """`DeviceLanguage` from the environment's locale (see the module's description), or `None`."""
    name: Optional[str] = None
    for variable in _LANGUAGE_VARIABLES:
        value = os.environ.get(variable, "")
        if variable == "LANGUAGE":
            value = value.split(":", 1)[0]
        value = value.split(".", 1)[0].split("@", 1)[0]
        if value not in _NO_LANGUAGE:
            name = value
            break
    if name is None:
        current = locale.getlocale()[0]
        if current is not None:
            current = current.split(".", 1)[0].split("@", 1)[0]
            if current not in _NO_LANGUAGE:
                name = current
    if name is None or not name.strip():
        return None
    return name if version == ContextDataVersion.ANDROID else name.replace("_", "-")


def device_facts_from_host(
    version: ContextDataVersion = ContextDataVersion.ANDROID,
    *,
    device_id: Optional[str] = None,
    application_name: Optional[str] = None,
    application_version: Optional[str] = None,
    device_name: Optional[str] = None,
    now: Optional[float] = None,
) -> DeviceFacts:
    """The `DeviceFacts` this host can give, with `ClientTimezone` and `DeviceLanguage` in the
    form of `version` (send them with the same version in `ContextData`). Blank values stay
    `None` (they would not be sent anyway)."""
    return DeviceFacts(
        application_name=_non_blank(application_name),
        application_version=_non_blank(application_version),
        device_name=_non_blank(device_name),
        device_os_release_version=_non_blank(platform.release()),
        platform=_non_blank(platform.system()),
        client_timezone=client_timezone(version, now),
        device_language=device_language(version),
        device_id=_non_blank(device_id),
        phone_type=_non_blank(platform.machine()),
    )
