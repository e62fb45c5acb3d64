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

# Installs what the benchmarks need and is missing: the build and bench packages (the lists
# scripts/lib/common.sh keeps, installed by its install_packages) and nginx (nginx-light
# where the release still has it).
bench_install() {
    # shellcheck source=../scripts/lib/common.sh
    source "$ROOT/scripts/lib/common.sh"
    local extra=()
    if [ "${1:-}" = nginx ] && ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
        as_root apt-get update -qq
        if apt-cache show nginx-light >/dev/null 2>&1; then extra+=(nginx-light); else extra+=(nginx); fi
    fi
    # A distribution nginx may start its own service on port 80; ours never uses it.
    install_packages "${BUILD_PACKAGES[@]}" "${BENCH_PACKAGES[@]}" "${extra[@]}" >&2
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
    "$BUILD_DIR/demo/fake-qwen" --port 0 --auto-approve 0 --interval 1 \
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

# Signs the bridge in against the fake (start_bridge does it when nobody did before).
bridge_login() {
    export QWEN_BRIDGE_OAUTH_URL="$FAKE_URL" QWEN_BRIDGE_API_URL="${BRIDGE_API_URL:-$FAKE_URL/v1}"
    if ! timeout --foreground 60 "$BUILD_DIR/app/qwen-bridge" login --no-browser </dev/null \
        >"$SCRATCH/login.log" 2>&1; then
        say "sign-in failed:"
        cat "$SCRATCH/login.log" >&2
        return 1
    fi
    BRIDGE_SIGNED_IN=1
}

# Signs the bridge in against the fake and starts `qwen-bridge serve`. Sets BRIDGE_URL,
# BRIDGE_PID and BRIDGE_KEY (the proxy's local key, from opencode-config).
start_bridge() {
    export QWEN_BRIDGE_OAUTH_URL="$FAKE_URL" QWEN_BRIDGE_API_URL="${BRIDGE_API_URL:-$FAKE_URL/v1}"
    QWEN_BRIDGE_PORT="$(free_port)"
    export QWEN_BRIDGE_PORT
    local bin="$BUILD_DIR/app/qwen-bridge"
    [ -n "${BRIDGE_SIGNED_IN:-}" ] || bridge_login || return 1
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

# --- idle cost, memory and start-up (issue 18) ------------------------------------------

# proc_sample PID: one line per thread now, "TID CPU_NS WAKEUPS": CPU time on the CPU from
# schedstat (ns), and voluntary context switches (every time a thread went to sleep; an idle
# thread that wakes for a timer and sleeps again adds one).
proc_sample() {
    local pid="$1" t a v
    for t in /proc/"$pid"/task/*; do
        read -r a _ <"$t/schedstat" 2>/dev/null || continue
        v="$(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status" 2>/dev/null)"
        echo "${t##*/} $a ${v:-0}"
    done
}

# rss_kb PID: resident set size in kB.
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# rss_beyond PID BASE_PID: where PID's resident memory goes beyond BASE_PID's, from both
# processes' smaps, per mapped file and grouped by what brings it in. Prints one line.
rss_beyond() {
    awk '
        FNR == 1 { file++ }
        /^[0-9a-f]+-[0-9a-f]+ / { n = split($6, p, "/"); name = (NF >= 6 ? p[n] : "[anon]"); next }
        /^Rss:/ { kb[file, name] += $2; names[name] = 1 }
        function group(n) {
            if (n ~ /^(libqt6keychain|libsecret|libgio|libgobject|libgmodule|libgcrypt|libgpg-error|libselinux|libblkid|libmount|libffi)/) return "keychain"
            if (n ~ /^(libQt6Network|libkrb5|libgssapi|libk5crypto|libproxy|libqnetworkmanager|libresolv|libcom_err|libkeyutils|libbrotli)/) return "network"
            if (n ~ /^(libsqlite3|libQt6Sql|libqsqlite)/) return "sqlite"
            if (n ~ /^(libQt6Charts|libQt6OpenGL)/) return "charts"
            if (n == "qwen-bridge") return "own"
            if (n ~ /^\[(heap|anon|stack)\]$/) return "heap"
            return "rest"
        }
        END {
            for (n in names) g[group(n)] += kb[1, n] - kb[2, n]
            printf "keychain (QtKeychain, libsecret and the GLib it loads) %.1f MB, network (QtNetwork, Kerberos, libproxy) %.1f MB, usage database (SQLite) %.1f MB, usage charts (QtCharts, OpenGL) %.1f MB, own code %.1f MB, heap %.1f MB, the rest %.1f MB\n",
                g["keychain"] / 1024, g["network"] / 1024, g["sqlite"] / 1024, g["charts"] / 1024,
                g["own"] / 1024, g["heap"] / 1024, g["rest"] / 1024
        }' "/proc/$1/smaps" "/proc/$2/smaps" 2>/dev/null
}

# idle_measure SECONDS NAME=PID...: samples every process's threads at the start and the
# end of the same window; prints one line each and appends NAME.idle_wakeups_per_min and
# NAME.idle_cpu_ms_per_min to $RESULTS. Per thread: a thread that ends inside the window
# (a pool thread that expires) would otherwise take its earlier counts out of the sums;
# one that starts inside it counts from zero. Threads that ended are reported.
idle_measure() {
    local seconds="$1" kv name pid
    shift
    for kv in "$@"; do
        proc_sample "${kv#*=}" >"$SCRATCH/idle.${kv%%=*}.0"
    done
    sleep "$seconds"
    for kv in "$@"; do
        name="${kv%%=*}" pid="${kv#*=}"
        proc_sample "$pid" >"$SCRATCH/idle.$name.1"
        local line wpm cpm threads gone
        line="$(awk -v s="$seconds" 'NR == FNR {c[$1] = $2; w[$1] = $3; next}
            {dc += $2 - ($1 in c ? c[$1] : 0); dw += $3 - ($1 in w ? w[$1] : 0); seen[$1] = 1; n++}
            END {gone = 0; for (t in c) if (!(t in seen)) gone++
                 printf "%.1f %.3f %d %d", dw * 60 / s, dc / 1e6 * 60 / s, n, gone}' \
            "$SCRATCH/idle.$name.0" "$SCRATCH/idle.$name.1")"
        read -r wpm cpm threads gone <<<"$line"
        printf '  %-6s %5s wake-ups/min, %7s ms CPU/min (threads %s, %s ended meanwhile, over %s s)\n' \
            "$name" "$wpm" "$cpm" "$threads" "$gone" "$seconds"
        echo "$name.idle_wakeups_per_min $wpm" >>"$RESULTS"
        echo "$name.idle_cpu_ms_per_min $cpm" >>"$RESULTS"
    done
}

# start_x: Xvfb on a free display and trayer on it (an XEmbed system tray, like a panel's).
# Sets DISPLAY and TRAYER_WIN.
start_x() {
    local d
    for d in $(seq 90 130); do
        [ -e "/tmp/.X11-unix/X$d" ] || [ -e "/tmp/.X$d-lock" ] || break
    done
    Xvfb ":$d" -screen 0 1280x800x24 -nolisten tcp >"$SCRATCH/xvfb.log" 2>&1 &
    BENCH_PIDS+=("$!")
    export DISPLAY=":$d"
    local i
    for i in $(seq 1 50); do
        xdpyinfo >/dev/null 2>&1 && break
        sleep 0.1
    done
    trayer --edge top --align right --widthtype request --height 24 --SetDockType true \
        --transparent false >"$SCRATCH/trayer.log" 2>&1 &
    TRAYER_PID=$!
    BENCH_PIDS+=("$TRAYER_PID")
    TRAYER_WIN=""
    for i in $(seq 1 50); do
        TRAYER_WIN="$(xdotool search --all --pid "$TRAYER_PID" --name "^panel$" 2>/dev/null | head -n1)" || true
        [ -n "$TRAYER_WIN" ] && break
        sleep 0.1
    done
    [ -n "$TRAYER_WIN" ] || {
        say "trayer did not come up"
        return 1
    }
    say "Xvfb on $DISPLAY, trayer (window $TRAYER_WIN)"
}

# The windows inside trayer's: one more appears when a tray icon is embedded.
tray_children() { xwininfo -tree -id "$TRAYER_WIN" 2>/dev/null | grep -c '^ *0x' || true; }

# tray_launch COMMAND...: starts a tray app and waits until trayer has embedded its icon.
# Sets TRAY_PID and TRAY_MS (launch to the icon's window inside trayer's, observed on the
# X server by polling xwininfo every few ms; -1: not within 10 s).
tray_launch() {
    local base t0 now
    base="$(tray_children)"
    t0="$(date +%s%N)"
    "$@" >>"$SCRATCH/tray.log" 2>&1 &
    TRAY_PID=$!
    BENCH_PIDS+=("$TRAY_PID")
    TRAY_MS=-1
    while :; do
        if [ "$(tray_children)" -gt "$base" ]; then
            now="$(date +%s%N)"
            TRAY_MS=$(((now - t0) / 1000000))
            return 0
        fi
        now="$(date +%s%N)"
        [ $(((now - t0) / 1000000)) -gt 10000 ] && return 1
        kill -0 "$TRAY_PID" 2>/dev/null || return 1
        sleep 0.002
    done
}

# tray_stop: ends the tray app tray_launch started and waits until its icon is gone.
tray_stop() {
    stop_pid "$TRAY_PID"
    local i
    for i in $(seq 1 50); do
        [ "$(tray_children)" -le "${1:-0}" ] && break
        sleep 0.05
    done
}

# --- the warm upstream (issue 18, item 3) ----------------------------------------------

# start_tls_upstream RTT_MS: nginx terminating TLS (a self-signed certificate made here) in
# front of the fake, and bench_rttrelay in front of that adding RTT_MS to every round trip.
# Sets TLS_URL (the relay, https) and TLS_CA_DIR: /etc/ssl/certs plus the certificate, for
# a process that bind-mounts it over /etc/ssl/certs in a mount namespace of its own (Qt
# reads trusted roots from there and not from SSL_CERT_DIR or SSL_CERT_FILE).
start_tls_upstream() {
    local rtt="$1" dir="$SCRATCH/tls" port upstream_port nginx_bin hash user_line=""
    nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
    mkdir -p "$dir/logs" "$dir/tmp" "$dir/ca"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
        -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
        -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
    cp -a /etc/ssl/certs/. "$dir/ca/"
    cp "$dir/cert.pem" "$dir/ca/qwen-bridge-bench.pem"
    hash="$(openssl x509 -hash -noout -in "$dir/cert.pem")"
    ln -sf qwen-bridge-bench.pem "$dir/ca/$hash.0"
    TLS_CA_DIR="$dir/ca"
    port="$(free_port)"
    upstream_port="${FAKE_URL##*:}"
    [ "$(id -u)" -eq 0 ] && user_line="user root root;"
    # keepalive_timeout longer than the benchmark's idle time: whether a connection
    # survives the pause is the client's doing here, not the server's.
    cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
$user_line
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    keepalive_timeout 3600s;
    upstream fake { server 127.0.0.1:$upstream_port; keepalive 16; }
    server {
        listen 127.0.0.1:$port ssl;
        ssl_certificate $dir/cert.pem;
        ssl_certificate_key $dir/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        location / {
            proxy_pass http://fake;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering off;
        }
    }
}
EOF
    "$nginx_bin" -p "$dir" -e "$dir/logs/error.log" -c "$dir/nginx.conf" >"$dir/logs/stdout.log" 2>&1 &
    BENCH_PIDS+=("$!")
    local i
    for i in $(seq 1 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
    done
    "$BUILD_DIR/bench/bench_rttrelay" --to "$port" --rtt-ms "$rtt" >"$dir/relay.out" 2>&1 &
    RELAY_PID=$!
    BENCH_PIDS+=("$RELAY_PID")
    wait_for_line "$dir/relay.out" 10 '^listening on' "$RELAY_PID" || return 1
    TLS_URL="https://127.0.0.1:$(awk '{print $3; exit}' "$dir/relay.out")"
    say "TLS upstream at $TLS_URL (nginx with TLS behind a relay adding $rtt ms per round trip)"
}

# start_warm_bridge: a second `qwen-bridge serve` (own settings, data, runtime folder and
# port; the same keyring, so signed in alike) with its API at TLS_URL, in a mount namespace
# that trusts the benchmark's certificate. Sets WARM_URL and WARM_PID.
start_warm_bridge() {
    local home="$SCRATCH/warm" port
    mkdir -p "$home/config" "$home/data" "$home/run"
    chmod 700 "$home/run"
    port="$(free_port)"
    # shellcheck disable=SC2016 # expanded by the inner shell
    XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/run" \
        QWEN_BRIDGE_PORT="$port" QWEN_BRIDGE_API_URL="$TLS_URL/v1" \
        unshare -m sh -c 'mount --bind "$0" /etc/ssl/certs && exec "$@"' "$TLS_CA_DIR" \
        "$BUILD_DIR/app/qwen-bridge" serve >"$SCRATCH/warm.log" 2>&1 &
    WARM_PID=$!
    BENCH_PIDS+=("$WARM_PID")
    if ! wait_for_line "$SCRATCH/warm.log" 20 'listening on' "$WARM_PID"; then
        say "the TLS qwen-bridge serve did not come up:"
        cat "$SCRATCH/warm.log" >&2
        return 1
    fi
    WARM_URL="http://127.0.0.1:$port"
    say "qwen-bridge serve against the TLS upstream at $WARM_URL (pid $WARM_PID)"
}

# ttfb_ms URL: one small streaming chat request with the bridge's key; prints the time to
# its first byte in ms (curl's time_starttransfer; the leg to the bridge is loopback).
ttfb_ms() {
    curl -sS -o /dev/null -w '%{time_starttransfer}\n' --max-time 30 \
        -H "Authorization: Bearer $BRIDGE_KEY" -H 'Content-Type: application/json' \
        -d '{"model":"coder-model","stream":true,"messages":[{"role":"user","content":"hi"}]}' \
        "$1/v1/chat/completions" | awk '{printf "%.1f\n", $1 * 1000}'
}
