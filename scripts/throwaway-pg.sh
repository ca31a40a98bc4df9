# shellcheck shell=bash
# Starts a throwaway PostgreSQL cluster for tests and benchmarks, and stops it on exit.
# Sourced by scripts/test and scripts/bench; runs nothing by itself.
#
# ccpm_start_throwaway_pg: initdb in a temporary directory, a Unix socket only (no TCP), trust
# authentication, fsync off. PostgreSQL refuses to run as root, so as root the cluster runs as
# the 'postgres' user. Exports CCPM_TEST_PGHOST, CCPM_TEST_PGPORT, CCPM_TEST_PGUSER,
# CCPM_TEST_PGBIN, and installs an EXIT trap that stops the server and removes the directory.
ccpm_start_throwaway_pg() {
    local bindir
    bindir=$(pg_config --bindir 2>/dev/null || true)
    [ -x "$bindir/initdb" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ ! -x "$bindir/initdb" ]; then
        echo "PostgreSQL server programs not found (apt-get install postgresql)" >&2
        return 1
    fi

    local pg_user
    pg_user=$(id -un)
    CCPM_PG_AS=()
    if [ "$(id -u)" -eq 0 ]; then
        pg_user=postgres
        CCPM_PG_AS=(runuser -u postgres --)
    fi

    CCPM_PG_TMP=$(mktemp -d /tmp/ccpm-pg.XXXXXX)
    CCPM_PG_BIN=$bindir
    chmod 0755 "$CCPM_PG_TMP"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$CCPM_PG_TMP"
    local port=54329
    trap ccpm_stop_throwaway_pg EXIT

    "${CCPM_PG_AS[@]}" "$bindir/initdb" -D "$CCPM_PG_TMP/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$CCPM_PG_TMP/initdb.log" 2>&1 || { cat "$CCPM_PG_TMP/initdb.log" >&2; return 1; }
    "${CCPM_PG_AS[@]}" "$bindir/pg_ctl" -D "$CCPM_PG_TMP/data" -l "$CCPM_PG_TMP/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $CCPM_PG_TMP -p $port -c fsync=off -c max_connections=200" start >/dev/null \
        || { cat "$CCPM_PG_TMP/server.log" >&2; return 1; }

    export CCPM_TEST_PGHOST="$CCPM_PG_TMP" CCPM_TEST_PGPORT="$port" CCPM_TEST_PGUSER=postgres
    export CCPM_TEST_PGBIN="$bindir"
    echo "throwaway PostgreSQL on socket $CCPM_PG_TMP (port $port, running as $pg_user)"
}

ccpm_stop_throwaway_pg() {
    [ -n "${CCPM_PG_TMP:-}" ] || return 0
    "${CCPM_PG_AS[@]}" "$CCPM_PG_BIN/pg_ctl" -D "$CCPM_PG_TMP/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$CCPM_PG_TMP"
    CCPM_PG_TMP=
}
