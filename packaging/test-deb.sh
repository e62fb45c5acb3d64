#!/usr/bin/env bash
# Package test (CTest "packaging_deb"): builds the .deb with CPack, reads its control
# data, unpacks it into a scratch root with dpkg -x and checks what a user would get:
# an executable that runs against the system's Qt, a valid desktop entry and AppStream
# file, the icons, the man page, the autostart template and the user service.
#
# Usage: test-deb.sh BUILD_DIR SCRATCH_DIR APP_ID VERSION "ICON SIZES"
# Every failed check is reported; the exit status is 1 if any failed. A missing tool is a
# failure too, never a skip: a test that cannot look has not shown anything.
set -uo pipefail

build_dir=$1
scratch=$2
app_id=$3
version=$4
read -r -a icon_sizes <<<"$5"

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
pass() { echo "ok: $*"; }
# pass_since N WHAT: "ok" for a group of checks when none failed since the count was N.
pass_since() { [ "$failures" -eq "$1" ] && pass "$2"; }

# --- tools -------------------------------------------------------------------------------
declare -A tool_package=(
    [cpack]=cmake [dpkg-deb]=dpkg [dpkg-shlibdeps]=dpkg-dev
    [desktop-file-validate]=desktop-file-utils [appstreamcli]=appstream [file]=file
    [dpkg-parsechangelog]=dpkg-dev [readelf]=binutils [ldd]=libc-bin [groff]=groff-base [gzip]=gzip
    [systemd-analyze]=systemd
)
for tool in "${!tool_package[@]}"; do
    command -v "$tool" >/dev/null ||
        fail "$tool is missing (Debian package ${tool_package[$tool]})"
done
[ -x "$build_dir/app/qwen-bridge" ] ||
    fail "$build_dir/app/qwen-bridge is not built (cmake --build $build_dir --target qwen-bridge)"
if [ "$failures" -gt 0 ]; then
    echo "packaging_deb: cannot run, $failures problem(s) above" >&2
    exit 1
fi

rm -rf "$scratch"
mkdir -p "$scratch/out" "$scratch/root" "$scratch/home"

# --- build the package ---------------------------------------------------------------------
# -B keeps the .deb and CPack's staging folder in the scratch folder, out of the build tree.
if ! cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$scratch/out" \
        >"$scratch/cpack.log" 2>&1; then
    cat "$scratch/cpack.log" >&2
    fail "cpack could not build the package"
    exit 1
fi
arch=$(dpkg --print-architecture)
deb="$scratch/out/qwen-bridge_${version}_${arch}.deb"
if [ ! -f "$deb" ]; then
    ls -l "$scratch/out" >&2
    fail "no package named $(basename "$deb")"
    exit 1
fi
pass "built $(basename "$deb")"
# dpkg-shlibdeps complaining means Depends may be incomplete.
if grep -qi "dpkg-shlibdeps.*\(warning\|error\)\|shlibdeps.*fail" "$scratch/cpack.log"; then
    grep -i "shlibdeps" "$scratch/cpack.log" >&2
    fail "dpkg-shlibdeps reported problems"
fi

# --- control data --------------------------------------------------------------------------
echo "--- dpkg-deb -I $(basename "$deb")"
dpkg-deb -I "$deb"
echo "---"
field() { dpkg-deb -f "$deb" "$1"; }
before=$failures
[ "$(field Package)" = qwen-bridge ] || fail "Package is '$(field Package)', not qwen-bridge"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', not $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is '$(field Architecture)'"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[[ "$(field Section)" =~ ^(net|utils)$ ]] || fail "Section is '$(field Section)'"
field Description | grep -q "This is the default description" &&
    fail "Description is CPack's placeholder text"

# Package names of a relation field, one a line, alternatives kept together ("a | b").
relation_names() {
    field "$1" | tr ',' '\n' | sed -E 's/\([^)]*\)//g; s/\[[^]]*\]//g; s/ +/ /g; s/^ //; s/ $//' |
        grep -v '^$'
}
depends=$(relation_names Depends)
for needed in libsecret-1-0 libqt6keychain1 libqt6core6 libqt6gui6 libqt6widgets6 \
    libqt6network6 libqt6charts6 libc6; do
    # Names Debian appends "t64" to on newer releases count as the same library.
    grep -qxE "${needed}(t64)?" <<<"$depends" || fail "Depends lacks $needed"
done
grep -qE '^libqrencode[0-9]' <<<"$depends" || fail "Depends lacks libqrencode"
# A versioned Qt dependency is the sign that dpkg-shlibdeps ran, not a hand-written list.
field Depends | grep -qE 'libqt6core6(t64)? \(>= 6\.' ||
    fail "Depends has no versioned libqt6core6: dpkg-shlibdeps did not run"
relation_names Recommends | grep -qx 'gnome-keyring | kwalletmanager' ||
    fail "Recommends lacks 'gnome-keyring | kwalletmanager' (has: $(field Recommends))"
pass_since "$before" "control fields"

# --- contents ------------------------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{print $6}' >"$scratch/contents"
# Everything under /usr: nothing in /usr/local, nothing system-wide in /etc (no autostart
# for every user), no test programs.
if grep -vE '^\./(usr(/.*)?)?$' "$scratch/contents" | grep -q .; then
    fail "files outside /usr: $(grep -vE '^\./(usr(/.*)?)?$' "$scratch/contents" | tr '\n' ' ')"
fi
grep -q '^\./usr/local' "$scratch/contents" && fail "files in /usr/local"
grep -qE '/(fake-qwen|tst_[^/]*)$' "$scratch/contents" && fail "test programs in the package"

dpkg -x "$deb" "$scratch/root" || fail "dpkg -x failed"
root="$scratch/root"
share="$root/usr/share"

# --- the installed executable --------------------------------------------------------------
bin="$root/usr/bin/qwen-bridge"
if [ -x "$bin" ]; then
    # Against the system's Qt: no run path into the build tree, every library found.
    readelf -d "$bin" | grep -E 'R(UN)?PATH' && fail "installed executable has an RPATH/RUNPATH"
    ldd "$bin" | grep 'not found' && fail "installed executable misses libraries"
    # A scratch home so that nothing of the person running the test is read or written.
    run() {
        env HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/home/.config" \
            XDG_DATA_HOME="$scratch/home/.local/share" XDG_STATE_HOME="$scratch/home/.local/state" \
            XDG_CACHE_HOME="$scratch/home/.cache" "$bin" "$@"
    }
    if out=$(run --version 2>&1); then
        [ "$out" = "qwen-bridge $version" ] || fail "--version printed '$out'"
        pass "qwen-bridge --version: $out"
    else
        fail "--version exited with $?: $out"
    fi
    if out=$(run --help 2>&1); then
        for word in "Usage: qwen-bridge" login status logout serve import opencode-config; do
            grep -qF -- "$word" <<<"$out" || fail "--help does not mention '$word'"
        done
        pass "qwen-bridge --help"
    else
        fail "--help exited with $?: $out"
    fi
else
    fail "no executable /usr/bin/qwen-bridge in the package"
fi
# The Usage window's charts plugin: in the package, in the folder the executable looks in
# (its path relative to /usr/bin is compiled in), against the system's Qt.
plugin=$(grep -E '/qwen-bridge/qwenbridge_usagecharts\.so$' "$scratch/contents" | head -n1)
if [ -n "$plugin" ] && [ -f "$root/$plugin" ]; then
    before=$failures
    plugin_rel=$(realpath -m --relative-to="$root/usr/bin" "$(dirname "$root/$plugin")")
    grep -qaF "$plugin_rel" "$bin" ||
        fail "the executable does not look for its charts plugin in $plugin_rel"
    readelf -d "$root/$plugin" | grep -E 'R(UN)?PATH' && fail "the charts plugin has an RPATH/RUNPATH"
    ldd "$root/$plugin" | grep 'not found' && fail "the charts plugin misses libraries"
    pass_since "$before" "charts plugin ${plugin#.}, found from /usr/bin as $plugin_rel"
else
    fail "no charts plugin (qwen-bridge/qwenbridge_usagecharts.so) in the package"
fi

# --- desktop entries -----------------------------------------------------------------------
# desktop-file-validate exits 0 on warnings; only its hints are let through here.
validate_desktop() {
    local file=$1 out
    if [ ! -f "$file" ]; then
        fail "missing ${file#"$root"}"
        return
    fi
    out=$(desktop-file-validate "$file" 2>&1)
    local rc=$?
    if [ $rc -ne 0 ] || grep -qE 'error:|warning:' <<<"$out"; then
        fail "desktop-file-validate ${file#"$root"}: $out"
    else
        pass "desktop-file-validate ${file#"$root"}"
    fi
}
desktop="$share/applications/$app_id.desktop"
autostart="$share/qwen-bridge/qwen-bridge-autostart.desktop"
validate_desktop "$desktop"
validate_desktop "$autostart"
key() { sed -n "s/^$2=//p" "$1" | head -n1; }
if [ -f "$desktop" ]; then
    [ "$(key "$desktop" Exec)" = qwen-bridge ] || fail "desktop entry Exec is '$(key "$desktop" Exec)'"
    [ "$(key "$desktop" Icon)" = "$app_id" ] || fail "desktop entry Icon is '$(key "$desktop" Icon)'"
fi
if [ -f "$autostart" ]; then
    [ "$(key "$autostart" Exec)" = qwen-bridge ] || fail "autostart Exec is '$(key "$autostart" Exec)'"
    [ "$(key "$autostart" X-GNOME-Autostart-enabled)" = true ] ||
        fail "autostart lacks X-GNOME-Autostart-enabled=true"
fi

# --- AppStream -----------------------------------------------------------------------------
# --no-net: the screenshot URLs point into the public repository, which the test must not
# depend on (and the build machine may have no network). --strict: infos fail too, such as
# a summary ending in a full stop, which software centres would show as it is.
metainfo="$share/metainfo/$app_id.metainfo.xml"
if [ -f "$metainfo" ]; then
    if out=$(appstreamcli validate --no-net --strict "$metainfo" 2>&1); then
        pass "appstreamcli validate --no-net --strict ${metainfo#"$root"}"
    else
        fail "appstreamcli validate: $out"
    fi
    # validate-tree checks the files against each other: launchable, desktop entry, icon.
    if out=$(appstreamcli validate-tree --no-net --strict "$root" 2>&1); then
        pass "appstreamcli validate-tree --no-net"
    else
        fail "appstreamcli validate-tree: $out"
    fi
    grep -q "<id>$app_id</id>" "$metainfo" || fail "metainfo id is not $app_id"
    grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" ||
        fail "metainfo launchable is not $app_id.desktop"
    grep -q "<release version=\"$version\"" "$metainfo" ||
        fail "metainfo has no release notes for $version"
else
    fail "missing /usr/share/metainfo/$app_id.metainfo.xml"
fi

# --- icons ---------------------------------------------------------------------------------
icons="$share/icons/hicolor"
svg="$icons/scalable/apps/$app_id.svg"
if [ -f "$svg" ] && file -b "$svg" | grep -q 'SVG'; then
    pass "scalable icon"
else
    fail "no SVG icon at ${svg#"$root"}"
fi
for size in "${icon_sizes[@]}"; do
    png="$icons/${size}x${size}/apps/$app_id.png"
    if [ -f "$png" ] && file -b "$png" | grep -q "^PNG image data, $size x $size,"; then
        pass "icon ${size}x${size}"
    else
        fail "no ${size}x${size} PNG icon at ${png#"$root"} ($(file -b "$png" 2>&1))"
    fi
done

# --- man page ------------------------------------------------------------------------------
man="$share/man/man1/qwen-bridge.1.gz"
if [ -f "$man" ] && gzip -t "$man"; then
    # -ww: every groff warning; a page that warns renders wrongly somewhere.
    if out=$(gzip -dc "$man" | groff -man -Tutf8 -ww -z 2>&1) && [ -z "$out" ]; then
        pass "man page"
    else
        fail "man page does not render cleanly: $out"
    fi
    for section in NAME SYNOPSIS COMMANDS "EXIT STATUS" ENVIRONMENT FILES; do
        gzip -dc "$man" | grep -q "^\.SH \"\?$section\"\?$" || fail "man page has no $section"
    done
else
    fail "no man page at ${man#"$root"}"
fi

# --- changelog -----------------------------------------------------------------------------
changelog="$share/doc/qwen-bridge/changelog.gz"
if [ -f "$changelog" ]; then
    before=$failures
    gzip -dc "$changelog" >"$scratch/changelog"
    top=$(dpkg-parsechangelog -l "$scratch/changelog" -S Version 2>&1)
    [ "$top" = "$version" ] || fail "changelog's first entry is '$top', not $version"
    pass_since "$before" "changelog"
else
    fail "no changelog at ${changelog#"$root"}"
fi

# --- systemd user unit ---------------------------------------------------------------------
unit="$root/usr/lib/systemd/user/qwen-bridge.service"
if [ -f "$unit" ]; then
    before=$failures
    grep -qx 'ExecStart=/usr/bin/qwen-bridge serve' "$unit" ||
        fail "unit ExecStart is '$(key "$unit" ExecStart)'"
    grep -qx 'Restart=on-failure' "$unit" || fail "unit lacks Restart=on-failure"
    grep -qx 'WantedBy=default.target' "$unit" || fail "unit is not wanted by default.target"
    # The credentials belong in the keychain, never in the unit.
    secrets_re='^(Environment|EnvironmentFile|LoadCredential|SetCredential)'
    grep -qiE "$secrets_re" "$unit" &&
        fail "unit sets environment or credentials: $(grep -iE "$secrets_re" "$unit")"
    # systemd's own parser on a copy that starts the unpacked executable: it exits 0 even
    # on unknown keys or values, so any output at all counts as a failure.
    mkdir -p "$scratch/unit"
    sed "s|/usr/bin/qwen-bridge|$bin|" "$unit" >"$scratch/unit/qwen-bridge.service"
    if ! out=$(env -u XDG_RUNTIME_DIR systemd-analyze verify --man=no \
        "$scratch/unit/qwen-bridge.service" 2>&1) || [ -n "$out" ]; then
        fail "systemd-analyze verify: $out"
    fi
    pass_since "$before" "systemd user unit"
else
    fail "no user unit at /usr/lib/systemd/user/qwen-bridge.service"
fi
[ -d "$root/etc" ] && fail "the package installs into /etc"

if [ "$failures" -gt 0 ]; then
    echo "packaging_deb: $failures check(s) failed" >&2
    exit 1
fi
echo "packaging_deb: all checks passed"
