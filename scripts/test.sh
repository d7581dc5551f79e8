#!/usr/bin/env bash
# Run the test suite against the real local services (started here if needed).
# Usage: scripts/test.sh [PYTEST ARGS...]
set -euo pipefail
source "$(dirname "$0")/env.sh"

"$ROOT/scripts/setup.sh" assets        # Python deps, instance folder, built assets
"$ROOT/scripts/services.sh" start      # PostgreSQL, Redis, OpenSearch, S3 (no-op when up)

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
