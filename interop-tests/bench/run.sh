#!/bin/bash
# The load benchmark: Skerry, Prosody and ejabberd side by side on this machine, each started fresh with the
# configs in interop-tests/bench/server-configs, under the same load from interop-tests/bench (skerry-bench.jar).
# Writes one JSON per run and results.md (absolute figures and Skerry's ratio to each peer) into $OUT.
#
#   interop-tests/bench/run.sh                              # everything (about half an hour on 2 cores)
#   SERVERS="skerry ejabberd" SCENARIOS="idle-plain chat" interop-tests/bench/run.sh
#   IDLE_CLIENTS=200 CHAT_CLIENTS=100 STORM_CLIENTS=300 S2S_CLIENTS=100 HOLD=2s CHAT_MAX_RATE=2000 run.sh  # a quick look
#
# Needs root (Prosody and ejabberd run as their own users, ejabberd in a mount namespace with our hosts file)
# and the Debian packages from interop-tests/install-peers.sh. Traffic stays on 127.0.0.21/22 (servers) and
# 127.0.0.1/31..34 (clients). Every process started here is stopped by its pid, also on Ctrl-C.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# Not conf/: a node started with this directory as its working directory would read conf/skerry.toml.
CONF="$HERE/server-configs"
BENCH_JAR="$HERE/target/skerry-bench.jar"
SKERRY_JAR="$ROOT/distribution/target/skerry.jar"

SERVERS=${SERVERS:-"skerry prosody ejabberd"}
SCENARIOS=${SCENARIOS:-"idle-plain idle-scram chat storm s2s"}
IDLE_CLIENTS=${IDLE_CLIENTS:-10000}
CHAT_CLIENTS=${CHAT_CLIENTS:-1000}
STORM_CLIENTS=${STORM_CLIENTS:-15000}
S2S_CLIENTS=${S2S_CLIENTS:-1000}
S2S_RATE=${S2S_RATE:-2000}
S2S_MAX_RATE=${S2S_MAX_RATE:-20000}   # then steps of 2000 msg/s of 10 s each up to this, until one does not keep up
HOLD=${HOLD:-20s}
# A JVM compiles its hot paths during its first tens of thousands of logins and messages (5 rounds of 10000 logins
# took a fresh node from 936 to 2440 STARTTLS logins/s). Idle: after the measured (cold) round,
# the same clients log in WARM_ROUNDS more times, and the last round is reported as warm_ figures. Chat and s2s: the
# first step sends for FIRST_WARMUP before its window opens (at 2000 msg/s Skerry still compiled after 20 s: 44.5
# us of CPU per message after 20 s, 27.5 after 60 s). Every server gets the same.
WARM_ROUNDS=${WARM_ROUNDS:-5}
FIRST_WARMUP=${FIRST_WARMUP:-60s}
CHAT_MAX_RATE=${CHAT_MAX_RATE:-42000}
STEP_DURATION=${STEP_DURATION:-10s}
PASSWORD=bench-password
USERS='bench%d'
# ejabberd stores SCRAM hashes like the others; "plain" measures its default, plaintext passwords.
EJABBERD_PASSWORDS=${EJABBERD_PASSWORDS:-scram}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-"-Xmx3g"}
OUT=${OUT:-"$HERE/target/results/$(date +%Y%m%d-%H%M%S)"}

ADDRESS_A=127.0.0.21
ADDRESS_B=127.0.0.22
DOMAIN_A=a.bench.test
DOMAIN_B=b.bench.test
SOURCES=127.0.0.1,127.0.0.31,127.0.0.32,127.0.0.33,127.0.0.34
ACCOUNTS=$(( STORM_CLIENTS > IDLE_CLIENTS ? STORM_CLIENTS : IDLE_CLIENTS ))

[ "$(id -u)" = 0 ] || { echo "run.sh: run as root (Prosody and ejabberd run as their own users)" >&2; exit 2; }
ulimit -n 20000
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/skerry-bench.XXXXXX)
chmod 755 "$WORK"
STARTED=()   # "pid" of every server process started, stopped on exit

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

stop_all() {
    for pid in "${STARTED[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${STARTED[@]}"; do
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    STARTED=()
}
trap 'stop_all; rm -rf "$WORK"' EXIT

build() {
    if [ -z "${SKIP_BUILD:-}" ]; then
        log "building skerry.jar and skerry-bench.jar"
        (cd "$ROOT" && mvn -q -B -o -DskipTests -pl distribution,interop-tests/bench -am package) >&2
    fi
}

# fill TEMPLATE OUTPUT key=value...: replaces each @key@ in the template
fill() {
    local template=$1 output=$2; shift 2
    local text
    text=$(cat "$template")
    for pair in "$@"; do
        text=${text//@${pair%%=*}@/${pair#*=}}
    done
    printf '%s\n' "$text" > "$output"
}

wait_listening() { # ADDRESS PORT PID NAME
    for _ in $(seq 600); do
        if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
        kill -0 "$3" 2>/dev/null || { log "$4 exited while starting; see $WORK"; return 1; }
        sleep 0.1
    done
    log "$4 did not listen on $1:$2 within 60 s"; return 1
}

# An ECDSA P-256 certificate, the kind Skerry generates for itself: every server signs its handshakes with the same
# kind of key, and the tool verifies the same kind of signature. The key is rewritten as SEC1, which ejabberd needs.
self_signed() { # DIR DOMAIN
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -keyout "$1/certs/$2.p8" \
        -out "$1/certs/$2.crt" -subj "/CN=$2" -addext "subjectAltName=DNS:$2" 2>/dev/null
    openssl ec -in "$1/certs/$2.p8" -out "$1/certs/$2.key" 2>/dev/null
    rm "$1/certs/$2.p8"
}

# start_SERVER INSTANCE ADDRESS DOMAIN PEER_ADDRESS PEER_DOMAIN: sets SERVER_PID to the process to measure (not
# run in a subshell, so that STARTED keeps it); the data directory survives a restart of the same instance, so
# accounts are registered once.
start_skerry() {
    local dir="$WORK/skerry-$1"
    mkdir -p "$dir"
    fill "$CONF/skerry.toml" "$dir/skerry.toml" DIR="$dir" ADDRESS="$2" DOMAIN="$3" \
        PEER_HOSTS="\"$5\" = \"$4:5269\""
    # The launcher as admins run it, with its JVM defaults (JAVA_OPTS, when set, replaces them); it execs java.
    "$ROOT/skerry" start --config "$dir/skerry.toml" >>"$dir/stdout.txt" 2>&1 &
    SERVER_PID=$!
    STARTED+=("$SERVER_PID")
    wait_listening "$2" 5222 "$SERVER_PID" skerry
}

start_prosody() {
    local dir="$WORK/prosody-$1"
    if [ ! -d "$dir" ]; then
        mkdir -p "$dir/data" "$dir/certs"
        self_signed "$dir" "$3"
        echo "nameserver 127.0.0.1" > "$dir/resolv.conf"
        echo "$4 $5" > "$dir/hosts"
        fill "$CONF/prosody.cfg.lua" "$dir/prosody.cfg.lua" DIR="$dir" ADDRESS="$2" DOMAIN="$3"
        chown -R prosody:prosody "$dir"
    fi
    setpriv --reuid=prosody --regid=prosody --init-groups prosody --config "$dir/prosody.cfg.lua" -F \
        >>"$dir/stdout.txt" 2>&1 &
    SERVER_PID=$!
    STARTED+=("$SERVER_PID")
    wait_listening "$2" 5222 "$SERVER_PID" prosody
}

ejabberdctl_in() { # DIR ARGS...: ejabberdctl as the ejabberd user, seeing our hosts file as /etc/hosts
    local dir=$1; shift
    HOME="$dir/home" unshare --mount --propagation private sh -c \
        'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf && shift 2 && exec "$@"' \
        sh "$dir/hosts" "$dir/resolv.conf" setpriv --reuid=ejabberd --regid=ejabberd --init-groups \
        /usr/sbin/ejabberdctl --config-dir "$dir" --ctl-config "$dir/ejabberdctl.cfg" "$@"
}

start_ejabberd() {
    local dir="$WORK/ejabberd-$1" dist_port=$((4370 + ${#STARTED[@]}))
    if [ ! -d "$dir" ]; then
        mkdir -p "$dir/certs" "$dir/spool" "$dir/logs" "$dir/home"
        self_signed "$dir" "$3"
        echo "nameserver 127.0.0.1" > "$dir/resolv.conf"
        printf '127.0.0.1 localhost\n%s %s\n' "$4" "$5" > "$dir/hosts"
        printf '{hosts_file, "%s"}.\n{resolv_conf, "%s"}.\n{lookup, [file]}.\n' "$dir/hosts" "$dir/resolv.conf" \
            > "$dir/inetrc"
        fill "$CONF/ejabberd.yml" "$dir/ejabberd.yml" DIR="$dir" ADDRESS="$2" DOMAIN="$3" \
            PASSWORD_FORMAT="$EJABBERD_PASSWORDS"
        chown -R ejabberd:ejabberd "$dir"
    fi
    fill "$CONF/ejabberdctl.cfg" "$dir/ejabberdctl.cfg" DIR="$dir" NODE="bench-$1" DIST_PORT="$dist_port"
    chown ejabberd:ejabberd "$dir/ejabberdctl.cfg"
    ejabberdctl_in "$dir" foreground >>"$dir/stdout.txt" 2>&1 &
    local starter=$!
    STARTED+=("$starter")
    wait_listening "$2" 5222 "$starter" ejabberd
    # Measure the Erlang VM, not the shell script that started it.
    SERVER_PID=$(pgrep -f "beam.smp.*$dir/spool" | head -n 1 || true)
    [ -n "$SERVER_PID" ] || { log "ejabberd listens but its Erlang VM was not found"; return 1; }
    STARTED+=("$SERVER_PID")
}

bench() { # SCENARIO ARGS...
    # shellcheck disable=SC2086
    java $BENCH_JAVA_OPTS -jar "$BENCH_JAR" "$@" --password "$PASSWORD" --user-pattern "$USERS" \
        --source-ips "$SOURCES" --scram-cache "$WORK/scram-$CURRENT.cache"
}

jvm_flag() { [ "$1" = skerry ] && echo --jvm-server || true; }

# run_single SERVER SCENARIO: a fresh server on instance a for one scenario
run_single() {
    local server=$1 scenario=$2
    start_"$server" a "$ADDRESS_A" "$DOMAIN_A" "$ADDRESS_B" "$DOMAIN_B"
    local common=(--host "$ADDRESS_A" --port 5222 --domain "$DOMAIN_A" --label "$server" --server-pid "$SERVER_PID")
    log "$server: $scenario"
    case $scenario in
        idle-plain) bench idle "${common[@]}" $(jvm_flag "$server") --clients "$IDLE_CLIENTS" --tls none --sasl PLAIN \
                        --warm-rounds "$WARM_ROUNDS" --hold "$HOLD" --timeout 10m --out "$OUT/idle-plain-$server.json" ;;
        idle-scram) bench idle "${common[@]}" $(jvm_flag "$server") --clients "$IDLE_CLIENTS" --tls starttls \
                        --sasl SCRAM-SHA-1 --warm-rounds "$WARM_ROUNDS" --hold "$HOLD" --timeout 10m --out "$OUT/idle-scram-$server.json" ;;
        chat)       bench chat "${common[@]}" --clients "$CHAT_CLIENTS" --tls none --sasl PLAIN --start-rate 2000 \
                        --first-warmup "$FIRST_WARMUP" --step 4000 --step-duration "$STEP_DURATION" --max-rate "$CHAT_MAX_RATE" --timeout 15m --out "$OUT/chat-$server.json" ;;
        storm)      bench storm "${common[@]}" --clients "$STORM_CLIENTS" --tls starttls --sasl SCRAM-SHA-1 \
                        --storm-concurrency "$STORM_CLIENTS" --login-timeout 120s --timeout 15m \
                        --out "$OUT/storm-$server.json" ;;
    esac
    stop_all
}

run_s2s() {
    local server=$1 pid_a pid_b
    start_"$server" a "$ADDRESS_A" "$DOMAIN_A" "$ADDRESS_B" "$DOMAIN_B"
    pid_a=$SERVER_PID
    start_"$server" b "$ADDRESS_B" "$DOMAIN_B" "$ADDRESS_A" "$DOMAIN_A"
    pid_b=$SERVER_PID
    local half=$((S2S_CLIENTS / 2))
    bench register --host "$ADDRESS_B" --port 5222 --domain "$DOMAIN_B" --label "$server" --clients "$half" \
        --out "$WORK/register-b-$server.json"
    log "$server: s2s"
    bench s2s --host "$ADDRESS_A" --port 5222 --domain "$DOMAIN_A" --host2 "$ADDRESS_B" --port2 5222 \
        --domain2 "$DOMAIN_B" --label "$server" --server-pid "$pid_a" --server-pid "$pid_b" --clients "$S2S_CLIENTS" \
        --tls none --sasl PLAIN --rate "$S2S_RATE" --first-warmup "$FIRST_WARMUP" --duration 10s \
        --step 2000 --max-rate "$S2S_MAX_RATE" --timeout 10m --out "$OUT/s2s-$server.json"
    stop_all
}

build
log "results go to $OUT"
for server in $SERVERS; do
    CURRENT=$server
    start_"$server" a "$ADDRESS_A" "$DOMAIN_A" "$ADDRESS_B" "$DOMAIN_B"
    log "$server: registering $ACCOUNTS accounts"
    bench register --host "$ADDRESS_A" --port 5222 --domain "$DOMAIN_A" --label "$server" --clients "$ACCOUNTS" \
        --timeout 20m --out "$WORK/register-$server.json"
    # Clients remember their SaltedPassword (RFC 5802 allows it, and real clients do): one unmeasured SCRAM login
    # per account fills the tool's cache, so the measured SCRAM logins cost the tool no PBKDF2 on the shared CPUs.
    log "$server: one unmeasured SCRAM login per account"
    bench idle --host "$ADDRESS_A" --port 5222 --domain "$DOMAIN_A" --label "$server" --clients "$ACCOUNTS" \
        --tls none --sasl SCRAM-SHA-1 --hold 0s --timeout 20m --out "$WORK/warm-$server.json" >/dev/null
    stop_all
    for scenario in $SCENARIOS; do
        if [ "$scenario" = s2s ]; then run_s2s "$server"; else run_single "$server" "$scenario"; fi
    done
done
java -jar "$BENCH_JAR" report --in "$OUT" --out "$OUT/results.md"
log "table: $OUT/results.md"
cat "$OUT/results.md"
