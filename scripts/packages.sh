# shellcheck shell=bash
# The Debian 12 packages CCPM Desk needs to build, test and run, kept in one place.
# Sourced by scripts/run and scripts/test; defines data and one function, runs nothing.

# Compiler, build tools, Qt 6.4 (+ PostgreSQL driver, SVG icon engine for the icons, Qt SVG for
# the schema diagram's export, translations tools), QCoro, libcrypt, Graphviz's libgvc (the schema
# diagram's layout), jemalloc (the allocator of the programs that host the agent hub), and the
# PostgreSQL server the app runs as its default database.
# shellcheck disable=SC2034 # used by the scripts that source this file
CCPM_BUILD_PACKAGES=(
    build-essential
    cmake
    ninja-build
    pkg-config
    qt6-base-dev
    qt6-websockets-dev
    libqt6sql6-psql
    libqt6svg6
    qt6-svg-dev
    qt6-l10n-tools
    qt6-tools-dev
    qt6-tools-dev-tools
    qcoro-qt6-dev
    libcrypt-dev
    libpq-dev
    libgraphviz-dev
    libjemalloc-dev
    libgl1-mesa-dev
    postgresql
)

# ccpm_install_packages PKG...: installs those of PKG that are not installed yet (apt-get update
# first, only when something is missing). Uses sudo unless already root.
ccpm_install_packages() {
    local missing=() pkg status
    for pkg in "$@"; do
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
        if [[ "$status" != "install ok installed" ]]; then
            missing+=("$pkg")
        fi
    done
    if ((${#missing[@]} == 0)); then
        return 0
    fi

    local sudo=()
    if ((EUID != 0)); then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "Missing Debian packages: ${missing[*]}" >&2
            echo "Install them as root with: apt-get install ${missing[*]}" >&2
            return 1
        fi
        sudo=(sudo)
    fi
    echo "Installing missing Debian packages: ${missing[*]}" >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

# What only the tests need: Debian's Python with the websockets module runs the Python client
# printed in docs/agent-protocol.md (tests/tst_agentclient.cpp, /usr/bin/python3).
# shellcheck disable=SC2034 # used by the scripts that source this file
CCPM_TEST_PACKAGES=(
    python3-websockets
    openssl
)
