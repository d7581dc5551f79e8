#!/usr/bin/env bash
# Run the test suite against the real local services (started here if needed).
# Usage: scripts/test.sh [PYTEST ARGS...]
set -euo pipefail
source "$(dirname "$0")/env.sh"

"$ROOT/scripts/setup.sh" assets        # Python deps, instance folder, built assets
"$ROOT/scripts/services.sh" start      # PostgreSQL, Redis, OpenSearch, S3 (no-op when up)

# Browser tests (tests/browser): Debian's Chromium (never a browser download) and
# axe-core, pinned by tests/browser/package-lock.json (npm ci when the lock changed).
ensure_apt /usr/bin/chromium chromium
ensure_apt /usr/sbin/nginx nginx     # tests/test_nginx_types.py starts the platform's nginx config
browser_js() {
  local dir="$ROOT/tests/browser" marker="$ROOT/tests/browser/node_modules/.lock-hash" want
  want=$(sha1sum "$dir/package-lock.json" | cut -d' ' -f1)
  [[ -f "$marker" && "$(cat "$marker")" == "$want" ]] && return 0
  log "installing the browser tests' JavaScript (npm ci; cache: $npm_config_cache)"
  (cd "$dir" && npm ci --no-audit --no-fund --prefer-offline) >"$LOG_DIR/browser-npm.log" 2>&1 \
    || die "npm ci in tests/browser failed, see $LOG_DIR/browser-npm.log"
  echo "$want" >"$marker"
}
browser_js

# Tests use their own database, index prefix, S3 bucket and Redis databases
# (tests/conftest.py), so they never touch the data of `make run`.
set +e
"$VENV/bin/pytest" "$@"
rc=$?
set -e
if [[ $rc -eq 5 ]]; then
  die "pytest collected no tests: treated as a failure"
fi
exit $rc
