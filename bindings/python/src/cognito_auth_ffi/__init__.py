"""cognito-auth: Amazon Cognito sign-in (SRP, MFA, tokens) in Rust, for Python.

The API is the UniFFI-generated module `cognito_auth_ffi.cognito_auth_ffi`, re-exported here;
bindings/API.md lists it. The shared library libcognito_auth_ffi.so sits next to it.
"""

from ._uniffi.cognito_auth_ffi import *  # noqa: F401,F403
