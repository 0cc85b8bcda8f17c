"""The typed consumer with one mistake that mypy must report from the package's types
(bindings/python/test-wheel.sh): a user pool id that is not a string."""

import cognito_auth_ffi as ca

config = ca.ClientConfig(user_pool_id=42, client_id="1example23456789abcdefghij",
                         client_secret=None, endpoint_url=None)
