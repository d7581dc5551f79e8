#!/usr/bin/env bash
# Demo data: member libraries with users and published records (idempotent).
set -euo pipefail
source "$(dirname "$0")/env.sh"
log "loading demo data (invenio platform demo)"
invenio platform demo 2>&1 | tee "$LOG_DIR/demo.log" || die "demo data failed, see $LOG_DIR/demo.log"
