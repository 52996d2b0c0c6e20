#!/usr/bin/env bash
# Times `sentry-secrets scan` against gitleaks (its three Sentry rules only) and ripgrep
# (the same three regexes plus a DSN regex and app/integration tokens), on the same bytes,
# warm cache, with hyperfine (median of several runs).
#
#   benches/scan-peers.sh [CORPUS]      # default /tmp/scan-corpus
#
# Make the corpus once:  cp -r ~/.cargo/registry/src/index.crates.io-*/. /tmp/scan-corpus/
# Install the peers:     /work/shared/tools/install-scan-peers.sh (prints the gitleaks path)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-/tmp/scan-corpus}
gitleaks=${GITLEAKS:-/tmp/scan-peers/root/usr/bin/gitleaks}
target=${CARGO_TARGET_DIR:-$here/../target}
runs=${RUNS:-7}
# gitleaks replaces its report file; never point it at /dev/null (it would delete the device).
glreport=$(mktemp /tmp/scan-peers-gitleaks.XXXXXX.json)
trap 'rm -f "$glreport"' EXIT

(cd "$here/.." && CARGO_TARGET_DIR=$target cargo build --release --features scan,cli -q)
# Plant the labelled fixtures (fake secrets) so every tool has something to find.
[ -d "$corpus/zz-scan-fixtures" ] || cp -r "$here/../tests/fixtures/scan" "$corpus/zz-scan-fixtures"
ours=$target/release/sentry-secrets
echo "corpus: $corpus ($(du -sh "$corpus" | cut -f1), $(find "$corpus" -type f | wc -l) files)"
echo "cores: $(nproc); $("$gitleaks" version 2>/dev/null || true); $(rg --version | head -n1)"

# ripgrep: the gitleaks rules' regexes plus the DSN and sntrya_/sntryi_ shapes.
# The first regex is gitleaks' sentry-access-token without its leading `[\w.-]{0,50}?`, which
# only widens the match (the same lines match) but makes ripgrep ~20x slower; RG_VERBATIM=1
# also times the verbatim form.
q="'\"" # the quote class used by gitleaks' rules
access='(?:sentry)(?:[ \t\w.-]{0,20})[\s'$q']{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'$q'\s=]{0,5}([a-f0-9]{64})(?:[\x60'$q'\s;]|\\[nr]|$)'
rest=(-e '\bsntrys_eyJpYXQiO[a-zA-Z0-9+/]{10,200}(?:LCJyZWdpb25fdXJs|InJlZ2lvbl91cmwi|cmVnaW9uX3VybCI6)[a-zA-Z0-9+/]{10,200}={0,2}_[a-zA-Z0-9+/]{43}(?:[^a-zA-Z0-9+/]|\z)'
  -e '\b(sntry[uai]_[a-f0-9]{64})(?:[\x60'$q'\s;]|\\[nr]|$)'
  -e 'https?://[0-9a-fA-F]{32}(?::[0-9a-fA-F]{32})?@[A-Za-z0-9.-]+(?::[0-9]+)?/[A-Za-z0-9._~/-]*[0-9]+\b')
printf '%q ' rg -uu --no-messages -n -e "(?i)$access" "${rest[@]}" "$corpus" > /tmp/scan-peers-rg.sh
printf '%q ' rg -uu --no-messages -n -e "(?i)[\w.-]{0,50}?$access" "${rest[@]}" "$corpus" > /tmp/scan-peers-rg-verbatim.sh
# ripgrep on the anchors alone (what our prefilter looks for), without any validation.
printf '%q ' rg -uu --no-messages -n -e '(?i)sentry' -e 'sntry[usai]_' -e 'https?://[0-9a-fA-F]{32}' "$corpus" > /tmp/scan-peers-rg-anchors.sh

hyperfine --warmup 2 --runs "$runs" -i --export-markdown /tmp/scan-peers.md --export-json /tmp/scan-peers.json \
  -n sentry-secrets "$ours scan --no-ignore $corpus > /dev/null" \
  -n ripgrep "bash /tmp/scan-peers-rg.sh > /dev/null" \
  -n ripgrep-anchors "bash /tmp/scan-peers-rg-anchors.sh > /dev/null" \
  -n gitleaks "$gitleaks dir $corpus --config $here/gitleaks-sentry.toml --no-banner --log-level error --exit-code 0 -f json -r $glreport"
cat /tmp/scan-peers.md
python3 - <<'PY'
import json
r = {x["command"]: x for x in json.load(open("/tmp/scan-peers.json"))["results"]}
ours = r["sentry-secrets"]["median"]
for name, x in r.items():
    print(f"median {name}: {x['median'] * 1000:.1f} ms ({x['median'] / ours:.2f}x sentry-secrets)")
PY
if [ "${RG_VERBATIM:-0}" = 1 ]; then
  hyperfine --runs 3 -i -n ripgrep-gitleaks-verbatim "bash /tmp/scan-peers-rg-verbatim.sh > /dev/null"
fi

echo "findings: sentry-secrets $("$ours" scan --no-ignore --format json "$corpus" | grep -c '"rule"' || true)" \
  "(labelled: $(grep -vc '^#' "$here/../tests/fixtures/scan/EXPECTED"))," \
  "ripgrep lines $(bash /tmp/scan-peers-rg.sh | wc -l)," \
  "gitleaks $("$gitleaks" dir "$corpus" --config "$here/gitleaks-sentry.toml" --no-banner --log-level error --exit-code 0 -f json -r "$glreport" && grep -c '"RuleID"' "$glreport" || true)"
