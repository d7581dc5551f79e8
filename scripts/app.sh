#!/usr/bin/env bash
# The platform's own processes, served as in production (docker/):
#   nginx (Debian) on 127.0.0.1:$WEB_PORT: statics from the instance folder, / -> ui, /api -> api
#   ui, api: uWSGI with docker/uwsgi/uwsgi_{ui,rest}.ini, $WEB_WORKERS processes each
#   worker, beat: Celery (beat: RDM's periodic tasks)
#   jobs: the invenio-jobs scheduler (a beat of its own) starting the jobs of /administration/jobs
#   datacite: the DataCite test double on 127.0.0.1:$DATACITE_PORT with the demo libraries'
#             accounts (app_data/tenants.yaml); production talks to DataCite itself
#   demosource: the demo's old repository, a small EPrints answering OAI-PMH from
#             app_data/demo_import (scripts/demo_source.py) on 127.0.0.1:$DEMO_SOURCE_PORT;
#             scripts/demo.sh imports it into SVKOS once
#   dev: Flask's development server on 127.0.0.1:$DEV_WEB_PORT (not started by default;
#        for debugging and the load bench's side-by-side comparison)
# Usage: scripts/app.sh start|stop|status [web|ui|api|nginx|worker|beat|jobs|datacite|demosource|dev ...]
#   (web = ui api nginx). Logs in .local/logs/<name>.log; starting a running process is a no-op.
set -euo pipefail
source "$(dirname "$0")/env.sh"

ALL=(datacite demosource worker beat jobs ui api nginx)
CELERY="$VENV/bin/celery"
NGINX_DIR="$LOCAL_DIR/nginx"
export WEB_WORKERS="${WEB_WORKERS:-2}"               # uWSGI processes per application
# The platform's own address, so its links (other hosts, e-mails, manifests) keep
# WEB_PORT (invenio.cfg's default is :5000; the tests keep that default).
export INVENIO_SITE_UI_URL="${INVENIO_SITE_UI_URL:-http://127.0.0.1:$WEB_PORT}"
UI_PORT="${UI_PORT:-$((WEB_PORT + 3000))}"          # uwsgi protocol, behind nginx
API_PORT="${API_PORT:-$((WEB_PORT + 3100))}"
DEV_WEB_PORT="${DEV_WEB_PORT:-$((WEB_PORT + 100))}"

http_ok() { curl -fsS -o /dev/null --max-time 30 "$@" 2>/dev/null; }
web_ready() { http_ok "http://127.0.0.1:$WEB_PORT/api/records?size=1" && http_ok "http://127.0.0.1:$WEB_PORT/"; }
dev_ready() { http_ok "http://127.0.0.1:$DEV_WEB_PORT/api/records?size=1"; }
# uWSGI loads the application in its master, then forks the workers.
uwsgi_ready() { pid_alive "$1" && grep -q "spawned uWSGI worker" "$LOG_DIR/$1.log"; }
ui_ready() { uwsgi_ready ui && port_open "$UI_PORT"; }
api_ready() { uwsgi_ready api && port_open "$API_PORT"; }
nginx_ready() { pid_alive nginx && port_open "$WEB_PORT"; }
worker_ready() { pid_alive worker; }
beat_ready() { pid_alive beat; }
jobs_ready() { pid_alive jobs; }
datacite_ready() { pid_alive datacite && port_open "$DATACITE_PORT"; }
demosource_ready() { pid_alive demosource && port_open "$DEMO_SOURCE_PORT"; }

nginx_config() {  # render scripts/nginx.conf into $NGINX_DIR/nginx.conf
  ensure_apt /usr/sbin/nginx nginx
  mkdir -p "$NGINX_DIR"
  local user_line=""
  # As root, nginx's workers would run as nobody, who may not read the instance folder.
  [[ $(id -u) -eq 0 ]] && user_line="user root;"
  sed -e "s|@USER_LINE@|$user_line|" -e "s|@NGINX_DIR@|$NGINX_DIR|g" -e "s|@LOG_DIR@|$LOG_DIR|g" \
      -e "s|@UI_PORT@|$UI_PORT|g" -e "s|@API_PORT@|$API_PORT|g" -e "s|@WEB_PORT@|$WEB_PORT|g" \
      -e "s|@INSTANCE@|$INVENIO_INSTANCE_PATH|g" -e "s|@ROOT@|$ROOT|g" \
      -e "s|@TILES_DIR@|$TILES_DIR|g" -e "s|@IIP_PORT@|$IIP_PORT|g" \
      "$ROOT/scripts/nginx.conf" >"$NGINX_DIR/nginx.conf"
  /usr/sbin/nginx -t -q -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e "$LOG_DIR/nginx-error.log" \
    2>"$LOG_DIR/nginx.log" || die "nginx configuration invalid, see $LOG_DIR/nginx.log"
}

uwsgi_install() {  # until Pipfile.lock carries uwsgi: the version docker/Dockerfile pins
  [[ -x "$VENV/bin/uwsgi" ]] && return 0
  local version; version=$(sed -n 's/^ARG UWSGI_VERSION=//p' "$ROOT/docker/Dockerfile")
  ensure_apt /usr/bin/gcc gcc
  log "installing uWSGI $version into $VENV (compiled, ~1 min)"
  "$VENV/bin/pip" install -q "uwsgi==$version" >"$LOG_DIR/uwsgi-install.log" 2>&1 \
    || die "pip install uwsgi failed (needs gcc and the Python headers), see $LOG_DIR/uwsgi-install.log"
}

uwsgi_start() {  # uwsgi_start NAME INI PORT STATS_PORT
  port_open "$3" && die "port $3 ($1) is taken by another program"
  uwsgi_install
  UWSGI_BIND="127.0.0.1:$3" nohup "$VENV/bin/uwsgi" --ini "$ROOT/docker/uwsgi/$2" \
    --home "$VENV" --stats "127.0.0.1:$4" >"$LOG_DIR/$1.log" 2>&1 &
}

start_one() {
  local name="$1"
  if pid_alive "$name"; then log "$name already running"; return; fi
  case "$name" in
    ui) uwsgi_start ui uwsgi_ui.ini "$UI_PORT" $((UI_PORT + 200)) ;;
    api) uwsgi_start api uwsgi_rest.ini "$API_PORT" $((API_PORT + 200)) ;;
    nginx)
      port_open "$WEB_PORT" && die "port $WEB_PORT is taken by another program"
      nginx_config
      nohup /usr/sbin/nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e "$LOG_DIR/nginx-error.log" \
        -g "daemon off;" >"$LOG_DIR/nginx.log" 2>&1 &
      ;;
    dev)
      port_open "$DEV_WEB_PORT" && die "port $DEV_WEB_PORT is taken by another program"
      FLASK_DEBUG=0 nohup "$VENV/bin/invenio" run --host 127.0.0.1 --port "$DEV_WEB_PORT" \
        --no-reload --with-threads >"$LOG_DIR/dev.log" 2>&1 &
      ;;
    datacite)
      port_open "$DATACITE_PORT" && die "port $DATACITE_PORT (DataCite double) is taken by another program"
      nohup "$VENV/bin/python" "$ROOT/scripts/datacite_double.py" "$DATACITE_PORT" \
        "$ROOT/app_data/tenants.yaml" >"$LOG_DIR/datacite.log" 2>&1 &
      ;;
    demosource)
      port_open "$DEMO_SOURCE_PORT" && die "port $DEMO_SOURCE_PORT (demo source) is taken by another program"
      nohup "$VENV/bin/python" "$ROOT/scripts/demo_source.py" "$DEMO_SOURCE_PORT" \
        "$ROOT/app_data/demo_import" >"$LOG_DIR/demosource.log" 2>&1 &
      ;;
    worker)
      nohup "$CELERY" -A invenio_app.celery worker --loglevel=INFO -Q celery,low \
        --concurrency "${WORKER_CONCURRENCY:-2}" -n "consortium@%h" >"$LOG_DIR/worker.log" 2>&1 &
      ;;
    beat)
      nohup "$CELERY" -A invenio_app.celery beat --loglevel=INFO \
        --schedule "$RUN_DIR/celerybeat-schedule" >"$LOG_DIR/beat.log" 2>&1 &
      ;;
    jobs)
      nohup "$CELERY" -A invenio_app.celery beat --loglevel=INFO \
        --scheduler invenio_jobs.services.scheduler:RunScheduler \
        --schedule "$RUN_DIR/jobs-schedule" >"$LOG_DIR/jobs.log" 2>&1 &
      ;;
    *) die "unknown process $name" ;;
  esac
  echo $! >"$RUN_DIR/$name.pid"
  case "$name" in
    ui|api|dev)
      wait_for "$name ($WEB_WORKERS processes)" 180 "${name}_ready" \
        || { pid_alive "$name" || rm -f "$RUN_DIR/$name.pid"; \
             die "$name not ready after 180 s, see $LOG_DIR/$name.log"; } ;;
    nginx)
      wait_for "web app (http://127.0.0.1:$WEB_PORT, nginx)" 120 web_ready \
        || die "web app not answering through nginx after 120 s, see $LOG_DIR/nginx-error.log" ;;
    datacite)
      wait_for "DataCite test double (127.0.0.1:$DATACITE_PORT)" 60 datacite_ready \
        || die "DataCite double not answering after 60 s, see $LOG_DIR/datacite.log" ;;
    demosource)
      wait_for "demo source (127.0.0.1:$DEMO_SOURCE_PORT)" 30 demosource_ready \
        || die "demo source not answering after 30 s, see $LOG_DIR/demosource.log" ;;
    *)
      sleep 2; pid_alive "$name" || die "$name exited, see $LOG_DIR/$name.log"
      log "$name started" ;;
  esac
}

expand() {  # process names, `web` standing for the web tier
  local p
  for p in "$@"; do
    if [[ "$p" == web ]]; then echo ui api nginx; else echo "$p"; fi
  done
}

cmd="${1:-status}"; shift || true
read -r -a procs <<<"$(expand "$@" | tr '\n' ' ')"
if [[ ${#procs[@]} -eq 0 ]]; then
  procs=("${ALL[@]}")
  [[ "$cmd" == stop ]] && procs=(dev "${ALL[@]}")
fi
case "$cmd" in
  start) for p in "${procs[@]}"; do start_one "$p"; done ;;
  stop)
    # the front first (no new requests), then the applications
    for ((i = ${#procs[@]} - 1; i >= 0; i--)); do stop_pid "${procs[i]}"; done ;;
  status)
    rc=0
    for p in "${procs[@]}"; do
      if "${p}_ready"; then printf '%-11s up\n' "$p"; else printf '%-11s down\n' "$p"; rc=1; fi
    done
    exit $rc ;;
  *) die "usage: $0 start|stop|status [web ui api nginx worker beat jobs datacite demosource dev]" ;;
esac
