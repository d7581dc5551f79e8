#!/usr/bin/env bash
# The platform's own processes: web app (UI + REST API), Celery worker, Celery beat.
# Usage: scripts/app.sh start|stop|status [web|worker|beat ...]
# Logs in .local/logs/<name>.log; starting a running process is a no-op.
set -euo pipefail
source "$(dirname "$0")/env.sh"

ALL=(worker beat web)
CELERY="$VENV/bin/celery"

web_ready() { curl -fsS -o /dev/null "http://127.0.0.1:$WEB_PORT/api/records?size=1" 2>/dev/null; }
worker_ready() { pid_alive worker; }
beat_ready() { pid_alive beat; }

start_one() {
  local name="$1"
  if pid_alive "$name"; then log "$name already running"; return; fi
  case "$name" in
    web)
      port_open "$WEB_PORT" && die "port $WEB_PORT is taken by another program"
      FLASK_DEBUG=0 nohup "$VENV/bin/invenio" run --host 127.0.0.1 --port "$WEB_PORT" \
        --no-reload --with-threads >"$LOG_DIR/web.log" 2>&1 &
      ;;
    worker)
      nohup "$CELERY" -A invenio_app.celery worker --loglevel=INFO -Q celery,low \
        --concurrency "${WORKER_CONCURRENCY:-2}" -n "consortium@%h" >"$LOG_DIR/worker.log" 2>&1 &
      ;;
    beat)
      nohup "$CELERY" -A invenio_app.celery beat --loglevel=INFO \
        --schedule "$RUN_DIR/celerybeat-schedule" >"$LOG_DIR/beat.log" 2>&1 &
      ;;
  esac
  echo $! >"$RUN_DIR/$name.pid"
  if [[ "$name" == web ]]; then
    wait_for "web app (http://127.0.0.1:$WEB_PORT)" 120 web_ready \
      || die "web app not answering after 120 s, see $LOG_DIR/web.log"
  else
    sleep 2; pid_alive "$name" || die "$name exited, see $LOG_DIR/$name.log"
    log "$name started"
  fi
}

cmd="${1:-status}"; shift || true
procs=("$@"); [[ ${#procs[@]} -gt 0 ]] || procs=("${ALL[@]}")
case "$cmd" in
  start) for p in "${procs[@]}"; do start_one "$p"; done ;;
  stop) for p in "${procs[@]}"; do stop_pid "$p"; done ;;
  status)
    rc=0
    for p in "${procs[@]}"; do
      if "${p}_ready"; then printf '%-11s up\n' "$p"; else printf '%-11s down\n' "$p"; rc=1; fi
    done
    exit $rc ;;
  *) die "usage: $0 start|stop|status [${ALL[*]}]" ;;
esac
