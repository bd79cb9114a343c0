#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The README's two quick-start commands. Each does all of its own set-up on a fresh Debian 12 machine.
#
#   bash packaging/quickstart.sh run    install what is missing, build (release), open the GUI on a demo store
#   bash packaging/quickstart.sh test   install what is missing, build, start a throwaway PostgreSQL 15 on
#                                       loopback, run every test with ctest, stop PostgreSQL (even on failure)
#   bash packaging/quickstart.sh coverage  the same with the coverage preset, then a line-coverage report of
#                                       core/ (build/coverage/coverage/index.html)
#
# Environment: BUILD_DIR (default build/<preset>), JOBS (default: number of cores), CTEST_ARGS (extra ctest
# arguments, e.g. "-R eventstore"), KEEP_PG=1 keeps the PostgreSQL cluster's directory for inspection.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE="${1:-}"
shift || true
JOBS="${JOBS:-$(nproc)}"

BUILD_PACKAGES=(cmake ninja-build g++ ccache pkg-config
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev libxkbcommon-dev qt6-httpserver-dev qt6-websockets-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqt6sql6-sqlite libqt6sql6-psql
    libspdlog-dev libyaml-cpp-dev libgl-dev libsqlite3-dev
    help2man)
# dpkg-dev and file: cpack -G DEB (dpkg-shlibdeps); appstream, desktop-file-utils: the packaging test's validators.
TEST_PACKAGES=(postgresql xvfb xauth dpkg-dev file appstream desktop-file-utils)

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

install_missing() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing missing Debian packages: ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
        sudo=(sudo)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
    local preset="$1"
    log "configuring ($preset)"
    cmake --preset "$preset" -S "$ROOT" >/dev/null
    log "building ($preset, $JOBS jobs)"
    cmake --build --preset "$preset" -j "$JOBS"
}

PG_DIR=""
PG_BIN=""
stop_postgres() {
    [ -n "$PG_DIR" ] || return 0
    log "stopping PostgreSQL"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    if [ "${KEEP_PG:-0}" != 1 ]; then rm -rf "$PG_DIR"; else log "kept $PG_DIR"; fi
    PG_DIR=""
}

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

start_postgres() {
    PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL server binaries not found under /usr/lib/postgresql" >&2; exit 1; }
    PG_DIR="$(mktemp -d /tmp/eventscope-pg.XXXXXX)"
    chmod 755 "$PG_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_DIR"
    local port
    port="$(free_port)"
    log "starting a throwaway PostgreSQL ($("$PG_BIN/postgres" --version | awk '{print $3}')) on 127.0.0.1:$port in $PG_DIR"
    as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres --no-sync >"$PG_DIR/initdb.log" 2>&1 ||
        { cat "$PG_DIR/initdb.log" >&2; exit 1; }
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null ||
        { cat "$PG_DIR/server.log" >&2; exit 1; }
    as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres eventscope_test
    export EVENTSCOPE_TEST_PG_DSN="postgres://postgres@127.0.0.1:$port/eventscope_test?sslmode=disable"
}

case "$MODE" in
run)
    install_missing "${BUILD_PACKAGES[@]}"
    BUILD_DIR="$ROOT/build/release"
    build release
    app="$BUILD_DIR/app/eventscope/eventscope"
    log "starting EventScope on a fresh demo store"
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
        install_missing xvfb xauth
        log "no display found: running under xvfb-run (set DISPLAY to see the window)"
        exec xvfb-run -a "$app" --demo "$@"
    fi
    exec "$app" --demo "$@"
    ;;
test)
    install_missing "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    build dev
    trap stop_postgres EXIT INT TERM
    start_postgres
    log "running the tests"
    cd "$ROOT"
    # shellcheck disable=SC2086
    ctest --preset dev -j "$JOBS" ${CTEST_ARGS:-}
    ;;
coverage)
    install_missing "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}" gcovr
    build coverage
    trap stop_postgres EXIT INT TERM
    start_postgres
    log "running the tests (instrumented)"
    cd "$ROOT"
    # A failing test still leaves its coverage; the report is wanted either way, the status is kept.
    status=0
    # shellcheck disable=SC2086
    ctest --preset coverage -j "$JOBS" ${CTEST_ARGS:-} || status=$?
    log "line coverage of core/"
    cmake --build --preset coverage --target coverage-report
    exit "$status"
    ;;
*)
    sed -n '4,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
