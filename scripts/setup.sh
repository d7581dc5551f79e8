#!/usr/bin/env bash
# Build and initialise the instance; every step is skipped when already done.
# Usage: scripts/setup.sh [deps|instance|assets|init|all]   (default: all)
set -euo pipefail
source "$(dirname "$0")/env.sh"

# --- Debian packages the platform runs beside the app -------------------------
# IIIF tiles: the `vips` command (libvips-tools) makes pyramidal TIFFs in a process of its
# own (pyvips in the app would load the system libxml2 and break xmlsec: SAML), and
# Debian's IIPImage server serves them (its web-server dependency: lighttpd, never
# started, rather than Apache; scripts/services.sh runs iipsrv behind nginx).
system_packages() {
  ensure_apt /usr/bin/vips libvips-tools
  ensure_apt /usr/lib/iipimage-server/iipsrv.fcgi iipimage-server lighttpd
  ensure_apt /usr/sbin/nginx nginx
}

# --- Python dependencies (Pipfile.lock -> .venv) ----------------------------
deps() {
  system_packages
  local marker="$VENV/.synced"
  local pipenv="$CACHE_DIR/tools/bin/pipenv"
  if [[ ! -x "$pipenv" ]]; then
    log "installing pipenv into $CACHE_DIR/tools"
    python3.11 -m venv "$CACHE_DIR/tools" || die "python3.11 with venv is required"
    "$CACHE_DIR/tools/bin/pip" install -q pipenv || die "pip install pipenv failed"
  fi
  if [[ -f "$marker" && "$marker" -nt "$ROOT/Pipfile.lock" && -x "$VENV/bin/invenio" ]]; then
    if [[ "$ROOT/site/pyproject.toml" -nt "$marker" ]]; then  # new entry points of the site
      log "re-installing the instance's package (site/pyproject.toml changed)"
      "$VENV/bin/pip" install -q --no-deps -e "$ROOT/site" >"$LOG_DIR/pip-site.log" 2>&1 \
        || die "pip install -e site failed, see $LOG_DIR/pip-site.log"
      touch "$marker"
    fi
    log "Python dependencies up to date"; uwsgi_without_libxml2; return
  fi
  log "installing Python dependencies from Pipfile.lock (pip cache: $PIP_CACHE_DIR)"
  (cd "$ROOT" && "$pipenv" sync --dev) >"$LOG_DIR/pipenv.log" 2>&1 \
    || die "pipenv sync failed, see $LOG_DIR/pipenv.log"
  uwsgi_without_libxml2
  touch "$marker"
}

# uWSGI built from source links the system's libxml2 when its headers are installed
# (for XML configs, unused here). The web app imports xmlsec (SAML), which refuses to
# load in a process whose libxml2 is not lxml's ("lxml & xmlsec libxml2 library
# version mismatch"): the web app would not start. So uWSGI is built without XML
# (UWSGI_PROFILE_OVERRIDE, env.sh), and a uWSGI built with it before (a cached wheel)
# is built again.
uwsgi_without_libxml2() {
  [[ -x "$VENV/bin/uwsgi" ]] || return 0
  ldd "$VENV/bin/uwsgi" | grep -q libxml2 || return 0
  local version; version=$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("uwsgi"))')
  log "building uWSGI $version without libxml2 (the web app loads lxml's own)"
  "$VENV/bin/pip" install -q --force-reinstall --no-deps --no-cache-dir --no-binary uwsgi \
    "uwsgi==$version" >"$LOG_DIR/pip-uwsgi.log" 2>&1 \
    || die "building uWSGI failed, see $LOG_DIR/pip-uwsgi.log"
  ! ldd "$VENV/bin/uwsgi" | grep -q libxml2 \
    || die "uWSGI still links libxml2 (UWSGI_PROFILE_OVERRIDE=$UWSGI_PROFILE_OVERRIDE)"
}

# --- Instance folder: config, templates and app_data linked in --------------
instance() {
  mkdir -p "$INVENIO_INSTANCE_PATH"
  local f
  for f in invenio.cfg templates app_data; do
    ln -sfn "$ROOT/$f" "$INVENIO_INSTANCE_PATH/$f"
  done
}

# --- Message catalogues: translations/<lang>/LC_MESSAGES/messages.po -> .mo ---
# The .po files are kept in git, the compiled .mo are not; compiled again when
# a .po is newer than its .mo (extraction: see translations/babel.ini).
catalogues() {
  local po
  for po in "$ROOT"/translations/*/LC_MESSAGES/messages.po; do
    [[ -f "$po" ]] || continue
    [[ -f "${po%.po}.mo" && "${po%.po}.mo" -nt "$po" ]] && continue
    log "compiling the message catalogue ${po#"$ROOT"/}"
    "$VENV/bin/pybabel" compile -i "$po" -o "${po%.po}.mo" >/dev/null \
      || die "pybabel compile of $po failed"
  done
}

# --- Front-end assets (rspack) ---------------------------------------------
assets_hash() {
  (cd "$ROOT" && find assets static package.json package-lock.json Pipfile.lock \
      site -type f \( -path '*/assets/*' -o -name 'webpack.py' -o -path 'assets/*' \
      -o -path 'static/*' -o -name 'package*.json' -o -name Pipfile.lock \) \
      -not -path '*/node_modules/*' -not -name '*.pyc' -print0 \
    | sort -z | xargs -0 sha1sum | sha1sum | cut -d' ' -f1)
}
assets() {
  local marker="$INVENIO_INSTANCE_PATH/.assets-hash" want
  # One build at a time per instance folder (two at once break each other's npm ci).
  mkdir -p "$INVENIO_INSTANCE_PATH"
  exec 9>"$INVENIO_INSTANCE_PATH/.assets.lock"
  flock 9
  want=$(assets_hash)
  if [[ -f "$marker" && "$(cat "$marker")" == "$want" \
        && -f "$INVENIO_INSTANCE_PATH/static/dist/manifest.json" ]]; then
    log "front-end assets up to date"; exec 9>&-; return
  fi
  log "building front-end assets (rspack; npm cache: $npm_config_cache)"
  {
    invenio collect -v
    invenio webpack clean create
    cp -r "$ROOT/assets/." "$INVENIO_INSTANCE_PATH/assets/"
    cp -r "$ROOT/static/." "$INVENIO_INSTANCE_PATH/static/"
    cp "$ROOT/package.json" "$ROOT/package-lock.json" "$INVENIO_INSTANCE_PATH/assets/"
    (cd "$INVENIO_INSTANCE_PATH/assets" && npm ci --no-audit --no-fund --prefer-offline)
    invenio webpack build
    iiif_viewer
  } >"$LOG_DIR/assets.log" 2>&1 || die "asset build failed, see $LOG_DIR/assets.log"
  echo "$want" >"$marker"
  exec 9>&-  # unlock: services started after this must not inherit (and hold) the lock
}

# The IIIF viewer (Mirador) is its own self-contained build, pinned in
# assets/iiif-viewer/package-lock.json apart from InvenioRDM's bundle (it brings its own
# React); the work's preview frame loads it as a static file.
iiif_viewer() {
  local dir="$INVENIO_INSTANCE_PATH/iiif-viewer" out="$INVENIO_INSTANCE_PATH/static/vendor/mirador"
  mkdir -p "$dir" "$out"
  cp "$ROOT/assets/iiif-viewer/package.json" "$ROOT/assets/iiif-viewer/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --ignore-scripts --legacy-peer-deps --no-audit --no-fund --prefer-offline)
  cp "$dir/node_modules/mirador/dist/mirador.min.js" \
     "$dir/node_modules/mirador/dist/mirador.min.js.LICENSE.txt" "$out/"
}

# --- Regenerate package.json + package-lock.json after bundle changes -------
assets_lock() {
  invenio webpack clean create
  cp -r "$ROOT/assets/." "$INVENIO_INSTANCE_PATH/assets/"
  "$VENV/bin/python" - "$INVENIO_INSTANCE_PATH/assets/package.json" "$ROOT/npm-overrides.json" <<'PY'
import json, sys
pkg_path, overrides_path = sys.argv[1:]
pkg = json.load(open(pkg_path))
pkg["overrides"] = json.load(open(overrides_path))
json.dump(pkg, open(pkg_path, "w"), indent=2)
PY
  (cd "$INVENIO_INSTANCE_PATH/assets" && npm install --package-lock-only --ignore-scripts --no-audit --no-fund)
  cp "$INVENIO_INSTANCE_PATH/assets/package.json" "$INVENIO_INSTANCE_PATH/assets/package-lock.json" "$ROOT/"
  log "package.json and package-lock.json regenerated; commit them"
}

# --- Database, S3, indices, vocabularies, admin ------------------------------
init() {
  "$ROOT/scripts/services.sh" start
  log "initialising the instance (invenio platform init)"
  # Vocabulary fixtures run in this process: no worker needed yet.
  INVENIO_CELERY_TASK_ALWAYS_EAGER=True invenio platform init 2>&1 | tee "$LOG_DIR/init.log" \
    || die "instance initialisation failed, see $LOG_DIR/init.log"
}

case "${1:-all}" in
  deps) deps ;;
  instance) instance ;;
  assets) deps; instance; catalogues; assets ;;
  assets-lock) deps; instance; assets_lock ;;
  init) deps; instance; catalogues; init ;;
  all) deps; instance; catalogues; assets; init ;;
  *) die "usage: $0 [deps|instance|assets|assets-lock|init|all]" ;;
esac
