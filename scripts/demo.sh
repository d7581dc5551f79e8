#!/usr/bin/env bash
# Demo data: member libraries with users and published records (idempotent).
set -euo pipefail
source "$(dirname "$0")/env.sh"
# The platform's own address, so its links (other hosts, e-mails, manifests) keep
# WEB_PORT (invenio.cfg's default is :5000; the tests keep that default).
export INVENIO_SITE_UI_URL="${INVENIO_SITE_UI_URL:-http://127.0.0.1:$WEB_PORT}"
log "loading demo data (invenio platform demo; SVKOS imports the demo's old repository once)"
invenio platform demo --import-from "http://127.0.0.1:$DEMO_SOURCE_PORT/cgi/oai2" 2>&1 | tee "$LOG_DIR/demo.log" || die "demo data failed, see $LOG_DIR/demo.log"

# MZK's people log in through the local test IdP (scripts/test_idp, started by
# scripts/services.sh; never production): http://mzk.localhost:5000/login →
# "Log in with your institution" → pick a person → back on MZK's site.
idp="http://127.0.0.1:$IDP_PORT/mzk/metadata"
log "single sign-on of MZK through the test IdP ($idp)"
{
  invenio tenants sso idps-import "$idp"
  invenio tenants sso set mzk --idp "$idp" \
    --rule eduPersonScopedAffiliation=member@mzk.cz:depositors \
    --rule eduPersonEntitlement=urn:geant:mzk.cz:repository:curator:curators
} >>"$LOG_DIR/demo.log" 2>&1 || die "SSO demo settings failed, see $LOG_DIR/demo.log"
