"""An in-memory Cognito user pool that answers the requests the bindings hand out, with the
server side of Cognito's SRP written here from the protocol description (Python integers and
pow(), hashlib, hmac): not from the Rust code. A sign-in that gets tokens from it has had
every client-side hash and HMAC checked by an independent implementation.

What it models: USER_SRP_AUTH (InitiateAuth -> PASSWORD_VERIFIER -> RespondToAuthChallenge),
then optionally a SOFTWARE_TOKEN_MFA challenge checked with its own RFC 6238 TOTP, then
tokens. A public app client (no SECRET_HASH). Its clock is fixed (`now`), like the
test-only session's.
"""

import base64
import hashlib
import hmac
import json
import struct
import time

# RFC 5054 3072-bit prime; Cognito uses it with g = 2.
N = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
)
G = 2
TARGET_PREFIX = "AWSCognitoIdentityProviderService."
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def pad(value):
    """Java BigInteger.toByteArray(): minimal big-endian two's complement, sign bit included."""
    magnitude = value if value >= 0 else -value - 1
    return value.to_bytes(magnitude.bit_length() // 8 + 1, "big", signed=True)


def sha256(*parts):
    return hashlib.sha256(b"".join(parts)).digest()


def as_int(digest):
    return int.from_bytes(digest, "big")


K_MULTIPLIER = as_int(sha256(pad(N), pad(G)))


def hkdf16(salt, ikm, info=b"Caldera Derived Key"):
    """RFC 5869 HKDF-SHA256, 16 bytes (one block)."""
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()[:16]


def cognito_timestamp(unix_time):
    """`EEE MMM d HH:mm:ss UTC yyyy` in English, day without a leading zero."""
    t = time.gmtime(unix_time)
    return "%s %s %d %02d:%02d:%02d UTC %d" % (
        DAYS[t.tm_wday], MONTHS[t.tm_mon - 1], t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, t.tm_year)


def totp(secret_base32, unix_time, digits=6, period=30):
    """RFC 6238 TOTP with HMAC-SHA1."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    mac = hmac.new(key, struct.pack(">Q", unix_time // period), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)


class FakeCognito:
    """One pool, one user. `handle(request)` answers an HttpRequest record like Cognito and
    returns (status, body bytes, x-amzn-ErrorType or None)."""

    def __init__(self, pool_id, client_id, username, password, now, totp_secret=None,
                 salt=0x5A17ED0C0FFEE1234567890ABCDEF, b=None):
        self.pool_id = pool_id
        self.pool_name = pool_id.split("_", 1)[1]
        self.client_id = client_id
        self.username = username
        self.now = now
        self.totp_secret = totp_secret
        self.salt = salt
        # A deterministic server ephemeral (the test checks the client, not the server's RNG).
        self.b = b if b is not None else as_int(sha256(b"fake-cognito-b", pool_id.encode())) % N
        inner = sha256(self.pool_name.encode(), username.encode(), b":", password.encode())
        x = as_int(sha256(pad(salt), inner))
        self.v = pow(G, x, N)
        self.pending = {}  # secret block or session -> state
        self.counter = 0
        self.requests = []

    # --- helpers ----------------------------------------------------------------------------

    def _fresh(self, label):
        self.counter += 1
        return hashlib.sha256(("%s-%d" % (label, self.counter)).encode()).hexdigest()

    @staticmethod
    def _error(code, message, status=400):
        return status, json.dumps({"__type": code, "message": message}).encode(), None

    @staticmethod
    def _ok(body):
        return 200, json.dumps(body).encode(), None

    def _tokens(self):
        return self._ok({
            "AuthenticationResult": {
                "AccessToken": "access." + self._fresh("access"),
                "IdToken": "id." + self._fresh("id"),
                "RefreshToken": "refresh." + self._fresh("refresh"),
                "ExpiresIn": 3600,
                "TokenType": "Bearer",
            },
            "ChallengeParameters": {},
        })

    # --- the API ----------------------------------------------------------------------------

    def handle(self, request):
        assert request.method == "POST"
        assert request.headers["content-type"] == "application/x-amz-json-1.1"
        target = request.headers["x-amz-target"]
        assert target == TARGET_PREFIX + request.operation, target
        body = json.loads(request.body)
        self.requests.append((request.operation, body))
        if body.get("ClientId") != self.client_id:
            return self._error("ResourceNotFoundException", "User pool client does not exist.")
        if request.operation == "InitiateAuth":
            return self._initiate_auth(body)
        if request.operation == "RespondToAuthChallenge":
            return self._respond(body)
        return self._error("UnsupportedOperationException", request.operation)

    def _initiate_auth(self, body):
        if body.get("AuthFlow") != "USER_SRP_AUTH":
            return self._error("InvalidParameterException", "flow not enabled")
        params = body["AuthParameters"]
        if params.get("USERNAME") != self.username:
            return self._error("UserNotFoundException", "User does not exist.")
        a_pub = int(params["SRP_A"], 16)
        if a_pub % N == 0:
            return self._error("InvalidParameterException", "SRP_A is 0 mod N")
        b_pub = (K_MULTIPLIER * self.v + pow(G, self.b, N)) % N
        secret_block = base64.b64encode(sha256(b"block", self._fresh("block").encode())).decode()
        self.pending[secret_block] = {"A": a_pub, "B": b_pub}
        return self._ok({
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {
                # Lower-case hex without padding, as Java's BigInteger.toString(16).
                "SALT": format(self.salt, "x"),
                "SRP_B": format(b_pub, "x"),
                "SECRET_BLOCK": secret_block,
                "USERNAME": self.username,
                "USER_ID_FOR_SRP": self.username,
            },
        })

    def _respond(self, body):
        name = body.get("ChallengeName")
        answers = body.get("ChallengeResponses", {})
        if answers.get("USERNAME") != self.username:
            return self._error("NotAuthorizedException", "USERNAME does not match")
        if name == "PASSWORD_VERIFIER":
            return self._password_verifier(answers)
        if name == "SOFTWARE_TOKEN_MFA":
            state = self.pending.pop(body.get("Session"), None)
            if state is None:
                return self._error("NotAuthorizedException", "Invalid session for the user.")
            if answers.get("SOFTWARE_TOKEN_MFA_CODE") != totp(self.totp_secret, self.now):
                self.pending[body["Session"]] = state  # the session stays usable
                return self._error("CodeMismatchException", "Invalid code received for user")
            return self._tokens()
        return self._error("InvalidParameterException", "unexpected challenge %s" % name)

    def _password_verifier(self, answers):
        block = answers.get("PASSWORD_CLAIM_SECRET_BLOCK")
        state = self.pending.pop(block, None)
        if state is None:
            return self._error("NotAuthorizedException", "Invalid secret block")
        if answers.get("TIMESTAMP") != cognito_timestamp(self.now):
            return self._error("NotAuthorizedException", "Incorrect username or password.")
        a_pub, b_pub = state["A"], state["B"]
        u = as_int(sha256(pad(a_pub), pad(b_pub)))
        s = pow(a_pub * pow(self.v, u, N), self.b, N)
        key = hkdf16(pad(u), pad(s))
        message = (self.pool_name.encode() + self.username.encode() + base64.b64decode(block)
                   + answers["TIMESTAMP"].encode())
        expected = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
        if not hmac.compare_digest(expected, answers.get("PASSWORD_CLAIM_SIGNATURE", "")):
            return self._error("NotAuthorizedException", "Incorrect username or password.")
        if self.totp_secret is None:
            return self._tokens()
        session = self._fresh("session")
        self.pending[session] = {"mfa": True}
        return self._ok({
            "ChallengeName": "SOFTWARE_TOKEN_MFA",
            "Session": session,
            "ChallengeParameters": {"USERNAME": self.username},
        })
