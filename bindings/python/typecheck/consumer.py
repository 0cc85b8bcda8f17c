"""A typed consumer of the installed package: bindings/python/test-wheel.sh runs
`mypy --strict` over it (it is type-checked, not executed). It is the README's sign-in loop."""

from typing import Callable, Optional, Tuple

import cognito_auth_ffi as ca

Post = Callable[[ca.HttpRequest], Tuple[int, bytes, Optional[str]]]


def sign_in(username: str, password: str, post: Post, ask_totp_code: Callable[[], str]) -> ca.AuthTokens:
    config = ca.ClientConfig(user_pool_id="us-east-1_Abc123XyZ", client_id="1example23456789abcdefghij",
                             client_secret=None, endpoint_url=None)
    credentials = ca.SignInCredentials(username=username, flow=ca.AuthFlow.USER_SRP(), password=password)
    session = ca.SignInSession(config, credentials)
    step: ca.SignInStep = session.start()
    while True:
        if isinstance(step, ca.SignInStep.SEND_REQUEST):
            status, body, error_type = post(step.request)
            step = session.handle_response(status, body, error_type)
        elif isinstance(step, ca.SignInStep.CONFIRM_SIGN_IN_WITH_TOTP_CODE):
            step = session.answer(ca.ChallengeAnswer.TOTP_CODE(code=ask_totp_code()))
        elif isinstance(step, ca.SignInStep.DONE):
            return step.result.tokens
        else:
            raise RuntimeError(f"step not handled here: {step}")


def header_name() -> str:
    return ca.error_type_header_name()


def totp_now(secret: str) -> str:
    return ca.totp_current_code(secret)


def refusal(error: ca.CognitoAuthError) -> str:
    if isinstance(error, ca.CognitoAuthError.Service):
        return f"{error.kind} retryable={error.retryable}"
    return str(error)


def try_answer(session: ca.SignInSession, code: str) -> ca.SignInStep:
    try:
        return session.answer(ca.ChallengeAnswer.TOTP_CODE(code=code))
    except ca.CognitoAuthError as error:
        print(refusal(error))
        raise
