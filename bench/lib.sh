# Shared by bench/run and bench/soak: install, build, and inside a private D-Bus session
# bring up a keyring, the fake upstream, a signed-in `qwen-bridge serve` and, for the
# benchmark, nginx. Every process started here is recorded and stopped by bench_cleanup,
# which the callers trap on EXIT.
# shellcheck shell=bash

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
BUILD_DIR="${BENCH_BUILD_DIR:-$ROOT/build-bench}"
JOBS="${JOBS:-2}"
BENCH_PIDS=()   # in start order; stopped in reverse
SCRATCH=""

say() { printf '==> %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

package_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# Installs what the benchmarks need and is missing: the build and bench packages (the lists
# scripts/lib/common.sh keeps) and nginx (nginx-light where the release still has it).
bench_install() {
    # shellcheck source=../scripts/lib/common.sh
    source "$ROOT/scripts/lib/common.sh"
    local missing=() p
    for p in "${BUILD_PACKAGES[@]}" "${BENCH_PACKAGES[@]}"; do
        package_installed "$p" || missing+=("$p")
    done
    if [ "${1:-}" = nginx ] && ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
        as_root apt-get update -qq
        if apt-cache show nginx-light >/dev/null 2>&1; then missing+=(nginx-light); else missing+=(nginx); fi
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        say "Installing: ${missing[*]}"
        as_root apt-get update -qq
        # A distribution nginx may start its own service on port 80; ours never uses it.
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null
    fi
}

bench_build() {
    say "Building (RelWithDebInfo) in $BUILD_DIR"
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$BUILD_DIR" -j"$JOBS" --target qwen-bridge fake-qwen "$@"
}

# A TCP port on 127.0.0.1 that nothing listens on (bash's /dev/tcp, no extra tools).
free_port() {
    local p i
    for i in $(seq 1 200); do
        p=$((20000 + RANDOM % 12000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# Waits up to $2 seconds for the regular expression $3 in file $1; fails if process $4 dies.
wait_for_line() {
    local file="$1" seconds="$2" pattern="$3" pid="${4:-}" i
    for i in $(seq 1 $((seconds * 10))); do
        grep -Eq "$pattern" "$file" 2>/dev/null && return 0
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
        sleep 0.1
    done
    return 1
}

stop_pid() {
    local pid="$1" i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

bench_cleanup() {
    local i pid
    for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do
        stop_pid "${BENCH_PIDS[$i]}"
    done
    # gnome-keyring-daemon detaches from us; find ours by the bus address it inherited.
    if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
        for pid in $(grep -lzxF "DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS" \
            /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
            [ "$pid" != "$$" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = gnome-keyring-d ] &&
                stop_pid "$pid"
        done
    fi
    [ -n "$SCRATCH" ] && rm -rf "$SCRATCH"
    return 0
}

# Inside dbus-run-session: scratch folders, an unlocked keyring, the bridge's environment.
bench_session_setup() {
    SCRATCH="$(mktemp -d /tmp/qwen-bridge-bench.XXXXXX)"
    mkdir -p "$SCRATCH/keyring/.cache" "$SCRATCH/home" "$SCRATCH/run"
    chmod 700 "$SCRATCH/run"
    eval "$(printf 'bench' | HOME="$SCRATCH/keyring" XDG_DATA_HOME="$SCRATCH/keyring" \
        XDG_CACHE_HOME="$SCRATCH/keyring/.cache" XDG_RUNTIME_DIR= \
        gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
    export GNOME_KEYRING_CONTROL
    export HOME="$SCRATCH/home" XDG_CONFIG_HOME="$SCRATCH/home/.config"
    export XDG_DATA_HOME="$SCRATCH/home/.local/share" XDG_STATE_HOME="$SCRATCH/home/.local/state"
    export XDG_CACHE_HOME="$SCRATCH/home/.cache" XDG_RUNTIME_DIR="$SCRATCH/run"
    export QT_QPA_PLATFORM=offscreen
    unset DEBUG_QWEN_PLUGIN ENABLE_PLUGIN_REQUEST_LOGGING
    # Many sockets at 256 streams: the upstream, the bridge and nginx each hold two per stream.
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
}

# start_fake EVENTS DELAY_MS: the fake upstream, stamping events, with an API key for the
# direct and nginx paths. Sets FAKE_URL and FAKE_PID.
start_fake() {
    local events="$1" delay="$2"
    # About eight characters per event, like tokens of a real answer.
    local reply
    reply="$(printf 'The quick brown fox jumps over the lazy dog. %.0s' $(seq 1 $(((events * 8 + 44) / 45))))"
    UPSTREAM_KEY="bench-upstream-key"
    "$BUILD_DIR/tests/support/fake-qwen" --port 0 --auto-approve 0 --interval 1 \
        --events "$events" --event-delay-ms "$delay" --reply "$reply" \
        --api-key "$UPSTREAM_KEY" --stamp-events --record-limit 100 --counters-endpoint \
        --idle-timeout-ms "${FAKE_IDLE_MS:-60000}" ${BENCH_BURST:+--burst} \
        >"$SCRATCH/fake.out" 2>"$SCRATCH/fake.err" &
    FAKE_PID=$!
    BENCH_PIDS+=("$FAKE_PID")
    wait_for_line "$SCRATCH/fake.out" 10 '^http://' "$FAKE_PID" || {
        cat "$SCRATCH/fake.err" >&2
        return 1
    }
    FAKE_URL="$(head -n1 "$SCRATCH/fake.out")"
    say "fake upstream at $FAKE_URL (pid $FAKE_PID), $events events per stream, $delay ms apart"
}

# Signs the bridge in against the fake and starts `qwen-bridge serve`. Sets BRIDGE_URL,
# BRIDGE_PID and BRIDGE_KEY (the proxy's local key, from opencode-config).
start_bridge() {
    export QWEN_BRIDGE_OAUTH_URL="$FAKE_URL" QWEN_BRIDGE_API_URL="$FAKE_URL/v1"
    QWEN_BRIDGE_PORT="$(free_port)"
    export QWEN_BRIDGE_PORT
    local bin="$BUILD_DIR/app/qwen-bridge"
    if ! timeout --foreground 60 "$bin" login --no-browser </dev/null >"$SCRATCH/login.log" 2>&1; then
        say "sign-in failed:"
        cat "$SCRATCH/login.log" >&2
        return 1
    fi
    "$bin" serve >"$SCRATCH/serve.log" 2>&1 &
    BRIDGE_PID=$!
    BENCH_PIDS+=("$BRIDGE_PID")
    if ! wait_for_line "$SCRATCH/serve.log" 20 'Signed in' "$BRIDGE_PID" ||
        ! wait_for_line "$SCRATCH/serve.log" 5 'listening on' "$BRIDGE_PID"; then
        say "qwen-bridge serve did not come up:"
        cat "$SCRATCH/serve.log" >&2
        return 1
    fi
    BRIDGE_URL="http://127.0.0.1:$QWEN_BRIDGE_PORT"
    BRIDGE_KEY="$("$bin" opencode-config | jq -r '.provider.alibaba.options.apiKey')"
    [ -n "$BRIDGE_KEY" ] && [ "$BRIDGE_KEY" != null ] || {
        say "no local key from opencode-config"
        return 1
    }
    say "qwen-bridge serve at $BRIDGE_URL (pid $BRIDGE_PID)"
}

# A second `qwen-bridge serve` with the same sign-in and key, its own port and runtime folder
# (instance lock), for bench/dispatchers. It sets QWEN_BRIDGE_BENCH_DISPATCHER=qt, which
# chose Qt's event dispatcher before the epoll one was removed and is ignored since. After
# start_bridge. Sets BRIDGE_QT_URL and BRIDGE_QT_PID.
start_bridge_qt() {
    local port
    port="$(free_port)"
    mkdir -p "$SCRATCH/run-qt"
    chmod 700 "$SCRATCH/run-qt"
    QWEN_BRIDGE_BENCH_DISPATCHER=qt QWEN_BRIDGE_PORT="$port" XDG_RUNTIME_DIR="$SCRATCH/run-qt" \
        "$BUILD_DIR/app/qwen-bridge" serve >"$SCRATCH/serve-qt.log" 2>&1 &
    BRIDGE_QT_PID=$!
    BENCH_PIDS+=("$BRIDGE_QT_PID")
    if ! wait_for_line "$SCRATCH/serve-qt.log" 20 'Signed in' "$BRIDGE_QT_PID" ||
        ! wait_for_line "$SCRATCH/serve-qt.log" 5 'listening on' "$BRIDGE_QT_PID"; then
        say "the second qwen-bridge serve did not come up:"
        cat "$SCRATCH/serve-qt.log" >&2
        return 1
    fi
    BRIDGE_QT_URL="http://127.0.0.1:$port"
    say "qwen-bridge serve on Qt's dispatcher at $BRIDGE_QT_URL (pid $BRIDGE_QT_PID)"
}

# nginx from Debian as a reverse proxy to the same upstream, entirely in $SCRATCH/nginx.
# Sets NGINX_URL and NGINX_PIDS (master and workers).
start_nginx() {
    local dir="$SCRATCH/nginx" port upstream_port nginx_bin user_line=""
    nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
    mkdir -p "$dir/logs" "$dir/tmp"
    port="$(free_port)"
    upstream_port="${FAKE_URL##*:}"
    # As root the workers would switch to "nobody"; keep them as the invoking user.
    [ "$(id -u)" -eq 0 ] && user_line="user root root;"
    cat >"$dir/nginx.conf" <<EOF
# One worker: the machine is small (2 cores shared by load generator, upstream and proxy)
# and qwen-bridge serves from one event loop; a second worker would mostly take CPU from
# the upstream and the load generator. BENCH_NGINX_WORKERS overrides (a number or auto).
worker_processes ${BENCH_NGINX_WORKERS:-1};
$user_line
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
worker_rlimit_nofile 16384;
events {
    worker_connections 8192;
}
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    upstream qwen {
        server 127.0.0.1:$upstream_port;
        keepalive 512;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$port;
        location / {
            proxy_pass http://qwen;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering off;
            proxy_read_timeout 300s;
        }
    }
}
EOF
    "$nginx_bin" -p "$dir" -e "$dir/logs/error.log" -c "$dir/nginx.conf" \
        >"$dir/logs/stdout.log" 2>&1 &
    local master=$!
    BENCH_PIDS+=("$master")
    local i
    for i in $(seq 1 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        kill -0 "$master" 2>/dev/null || break
        sleep 0.1
    done
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        say "nginx did not start:"
        cat "$dir/logs/error.log" "$dir/logs/stdout.log" >&2
        return 1
    fi
    NGINX_URL="http://127.0.0.1:$port"
    NGINX_PIDS="$master"
    local w
    for w in $(pgrep -P "$master"); do NGINX_PIDS="$NGINX_PIDS,$w"; done
    say "nginx $("$nginx_bin" -v 2>&1 | sed 's/.*\///') at $NGINX_URL (pids $NGINX_PIDS)"
}
