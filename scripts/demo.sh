#!/usr/bin/env bash
# The one-command demo (README: "Run it"), also the end-to-end test of the `cognito-auth` tool.
#
# Starts MiniStack (a local Cognito emulator that really checks SRP proofs, SECRET_HASH and
# TOTP codes) on a free 127.0.0.1 port, creates a user pool with optional TOTP MFA, an app
# client with a secret and a user, then drives the `cognito-auth` binary:
#   sign in with SRP -> set up TOTP -> sign out -> sign in answering TOTP -> refresh.
# Needs only python3 (with venv) and the Rust toolchain; MiniStack is installed into
# ~/.cache/cognito-auth/ on first use. The server is stopped on exit, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold="" plain=""; fi
say() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

say "building cognito-auth"
cargo build --quiet -p cognito-auth-cli --locked
bin="${CARGO_TARGET_DIR:-target}/debug/cognito-auth"
[ -x "$bin" ] || die "no binary at $bin"

say "starting MiniStack on 127.0.0.1"
ministack="${MINISTACK_BIN:-$(bash scripts/ensure-tool.sh ministack)}"
work="$(mktemp -d "${TMPDIR:-/tmp}/cognito-auth-demo.XXXXXX")"
server_pid=""
stop() {
  status=$?
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -f "$work/ministack.log" ]; then
    echo "--- last lines of the MiniStack log ---" >&2
    tail -n 20 "$work/ministack.log" >&2 || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap stop EXIT
trap 'exit 130' INT TERM

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$work/state" "$work/tmp"
AUTH=true BIND_HOST=127.0.0.1 GATEWAY_PORT="$port" SERVICES=cognito-idp,cognito-identity \
  IOT_MTLS_ENABLED=0 SFTP_ENABLED=0 PERSIST_STATE=0 STATE_DIR="$work/state" \
  S3_DATA_DIR="$work/state/s3" TMPDIR="$work/tmp" DOCKER_HOST="unix://$work/no-docker.sock" \
  LOG_LEVEL=WARNING "$ministack" >"$work/ministack.log" 2>&1 </dev/null &
server_pid=$!
endpoint="http://127.0.0.1:$port/"
ready=""
for _ in $(seq 300); do  # up to 30 s
  kill -0 "$server_pid" 2>/dev/null || die "MiniStack exited"
  if python3 - "$endpoint" <<'PY' 2>/dev/null; then ready=1; break; fi
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "_ministack/health", timeout=2) as r:
    sys.exit(0 if json.load(r).get("auth") == "enabled" else 1)
PY
  sleep 0.1
done
[ -n "$ready" ] || die "MiniStack did not answer on $endpoint within 30 s"
echo "MiniStack is up at $endpoint"

# idp OPERATION JSON [PATH]: an administrator call (a SigV4-shaped header naming the emulator's
# `test` key); prints the string at PATH (dot-separated) or the whole answer.
idp() {
  python3 - "$endpoint" "$@" <<'PY'
import json, sys, urllib.request, urllib.error
endpoint, operation, body = sys.argv[1:4]
request = urllib.request.Request(endpoint, data=body.encode(), method="POST", headers={
    "Content-Type": "application/x-amz-json-1.1",
    "X-Amz-Target": "AWSCognitoIdentityProviderService." + operation,
    "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cognito-idp/aws4_request, "
                     "SignedHeaders=content-type;host;x-amz-target, Signature=" + "0" * 64,
})
try:
    with urllib.request.urlopen(request, timeout=15) as response:
        answer = json.load(response)
except urllib.error.HTTPError as e:
    sys.exit(f"{operation}: HTTP {e.code}: {e.read().decode(errors='replace')}")
for key in (sys.argv[4].split(".") if len(sys.argv) > 4 else []):
    answer = answer[key]
print(answer if isinstance(answer, str) else json.dumps(answer))
PY
}
# field JSON KEY: a top-level string of a JSON document.
field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
# short TOKEN: enough of a token to see it changed, never all of it.
short() { printf '%s…(%s chars)' "${1:0:16}" "${#1}"; }

say "creating a user pool (TOTP MFA optional), an app client with a secret, a user"
pool_id="$(idp CreateUserPool '{"PoolName":"cognito-auth-demo"}' UserPool.Id)"
idp SetUserPoolMfaConfig "{\"UserPoolId\":\"$pool_id\",\"MfaConfiguration\":\"OPTIONAL\",\"SoftwareTokenMfaConfiguration\":{\"Enabled\":true}}" >/dev/null
client="$(idp CreateUserPoolClient "{\"UserPoolId\":\"$pool_id\",\"ClientName\":\"demo\",\"GenerateSecret\":true,\"ExplicitAuthFlows\":[\"ALLOW_USER_SRP_AUTH\",\"ALLOW_USER_PASSWORD_AUTH\",\"ALLOW_REFRESH_TOKEN_AUTH\"]}" UserPoolClient)"
client_id="$(field "$client" ClientId)"
client_secret="$(field "$client" ClientSecret)"
username="alice"
password='Correct Horse 9! ünïcødé'
idp AdminCreateUser "{\"UserPoolId\":\"$pool_id\",\"Username\":\"$username\",\"MessageAction\":\"SUPPRESS\",\"UserAttributes\":[{\"Name\":\"email\",\"Value\":\"alice@example.com\"}]}" >/dev/null
python3 -c 'import json, sys; print(json.dumps({"UserPoolId": sys.argv[1], "Username": sys.argv[2], "Password": sys.argv[3], "Permanent": True}))' \
  "$pool_id" "$username" "$password" >"$work/set-password.json"
idp AdminSetUserPassword "$(cat "$work/set-password.json")" >/dev/null
echo "pool $pool_id, client $client_id (with a secret), user $username (password with spaces and non-ASCII)"

# Secrets never go on a command line (other local users can read it, the shell keeps it): the
# client secret through the environment, passwords and tokens through stdin.
export COGNITO_CLIENT_SECRET="$client_secret"
pool_args=(--user-pool-id "$pool_id" --client-id "$client_id" --endpoint "$endpoint")

say "1. sign in with SRP (the password never leaves this machine)"
echo "\$ cognito-auth sign-in --username $username --password-stdin ..."
tokens="$(printf '%s\n' "$password" | "$bin" sign-in "${pool_args[@]}" --username "$username" --password-stdin)"
access="$(field "$tokens" AccessToken)"
echo "AccessToken $(short "$access"), ExpiresIn $(field "$tokens" ExpiresIn) s"

say "2. set up TOTP (AssociateSoftwareToken, VerifySoftwareToken, TOTP preferred)"
echo "\$ cognito-auth set-up-totp --access-token-stdin --verify ..."
setup="$(printf '%s\n' "$access" | "$bin" set-up-totp "${pool_args[@]}" --access-token-stdin --verify --issuer "cognito-auth demo")"
totp_secret="$(field "$setup" SecretCode)"
verified_step=$(( $(date +%s) / 30 ))
uri="$(field "$setup" Uri)"
echo "otpauth URI: ${uri%%secret=*}secret=<hidden>…"

say "3. sign out everywhere (GlobalSignOut revokes every token)"
echo "\$ cognito-auth sign-out --access-token-stdin ..."
printf '%s\n' "$access" | "$bin" sign-out "${pool_args[@]}" --access-token-stdin
if printf '%s\n' "$access" | "$bin" sign-out "${pool_args[@]}" --access-token-stdin 2>"$work/err"; then
  die "the revoked access token still works"
fi
echo "the old access token is refused now: $(head -n 1 "$work/err")"

say "4. sign in again: SRP, then the TOTP challenge answered from \$COGNITO_TOTP_SECRET"
# Cognito refuses a TOTP code that was already used: if step 2 used this 30 s step's code,
# wait for the next one (as a person would for the next code).
if [ "$(( $(date +%s) / 30 ))" -eq "$verified_step" ]; then
  wait_s=$(( 30 - $(date +%s) % 30 + 1 ))
  echo "(waiting ${wait_s} s for a fresh TOTP code: the last one was spent on VerifySoftwareToken)"
  sleep "$wait_s"
fi
echo "\$ COGNITO_TOTP_SECRET=<secret> cognito-auth sign-in --username $username --password-stdin ..."
tokens="$(printf '%s\n' "$password" | COGNITO_TOTP_SECRET="$totp_secret" "$bin" sign-in "${pool_args[@]}" --username "$username" --password-stdin)"
access="$(field "$tokens" AccessToken)"
refresh="$(field "$tokens" RefreshToken)"
echo "AccessToken $(short "$access"), RefreshToken $(short "$refresh")"

say "5. refresh the tokens (GetTokensFromRefreshToken)"
echo "\$ cognito-auth refresh --username $username --refresh-token-stdin ..."
renewed="$(printf '%s\n' "$refresh" | "$bin" refresh "${pool_args[@]}" --username "$username" --refresh-token-stdin)"
renewed_access="$(field "$renewed" AccessToken)"
[ "$renewed_access" != "$access" ] || die "refresh returned the same access token"
echo "new AccessToken $(short "$renewed_access"), ExpiresIn $(field "$renewed" ExpiresIn) s"

say "demo passed: SRP sign-in, TOTP setup, sign-out, TOTP sign-in and refresh against MiniStack"
