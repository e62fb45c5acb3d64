# Shared by scripts/run and scripts/test: install what is missing, configure, build.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JOBS="${JOBS:-2}"

# What the app needs to build and run.
BUILD_PACKAGES=(
    build-essential cmake ninja-build pkg-config git
    qt6-base-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qt6-qpa-plugins libqt6svg6 qt6-image-formats-plugins libgl-dev
    qtkeychain-qt6-dev libqrencode-dev
    # The usage meter: Qt SQL's SQLite driver (Qt SQL itself comes with qt6-base-dev),
    # SQLite's own headers for the store's inserts, and the Usage window's charts; Debian
    # 12's qt6-charts-dev lacks its dependency on the Qt OpenGL CMake package that
    # find_package(Qt6 COMPONENTS Charts) loads.
    libqt6sql6-sqlite libsqlite3-dev qt6-charts-dev libqt6opengl6-dev
    # QtKeychain loads libsecret at run time; without it there is no keychain.
    libsecret-1-0 gnome-keyring dbus dbus-x11 xdg-utils
    # Qt's own translated button texts, and a font for the Chinese translation
    qt6-translations-l10n fonts-noto-cjk
)
# What the tests need besides: a private keyring, a display with a tray host, a QR
# decoder, the npm client for OpenCode, and tools to validate packaging; clang with its
# libFuzzer and sanitizer runtimes for the fuzz targets, llvm-symbolizer for their stacks.
# Each tool a test runs is named here, even when another package happens to pull it in:
# CI starts from a fresh Debian 12 machine.
TEST_PACKAGES=(
    # dbus-run-session, for the private session bus of the keyring
    dbus-daemon
    xvfb xauth trayer x11-utils xdotool imagemagick zbar-tools
    clang libclang-rt-14-dev llvm
    # packaging/test-deb.sh: desktop-file-validate, appstreamcli, dpkg-shlibdeps and
    # dpkg-parsechangelog, file, readelf, groff, systemd-analyze, awk
    desktop-file-utils appstream dpkg-dev file binutils groff-base systemd mawk
    # A forward proxy for the HTTP proxy tests, which start their own on a free port (a
    # system service the package may start on 8888 is not used).
    tinyproxy
    # Named time zones for the usage meter's window arithmetic across zones and DST
    tzdata
)
# What bench/run and bench/soak need besides the build packages (nginx, which bench/lib.sh
# picks by release, aside): dbus-run-session, jq to read the local key, pgrep to find
# nginx's workers.
BENCH_PACKAGES=(
    dbus-daemon jq procps
    # issue 18: the tray under Xvfb and trayer next to nm-tray, X side polled with
    # xwininfo (x11-utils) and xdotool; the warm-upstream TLS server (nginx, openssl),
    # its requests (curl), its mount namespace (util-linux unshare, mount)
    xvfb xauth trayer x11-utils xdotool nm-tray openssl curl util-linux mount
)
# npm installs the pinned OpenCode CLI. A machine may already have Node.js from elsewhere
# (whose nodejs package bundles npm and conflicts with Debian's npm): only add Debian's
# when there is no npm at all.
if ! command -v npm >/dev/null 2>&1; then
    TEST_PACKAGES+=(nodejs npm)
fi

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
    local missing=()
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> Installing: ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

configure_and_build() {
    local dir="$1"; shift
    cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
    cmake --build "$dir" -j"$JOBS"
}
