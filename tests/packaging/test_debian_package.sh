#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# test_debian_package.sh CPACK BUILD_DIR VERSION
# Builds the .debs of BUILD_DIR with CPACK into a scratch directory of its own (never the build directory's
# _CPack_Packages), unpacks the eventscope package with dpkg -x and checks its files, metadata and programs.
set -euo pipefail

CPACK="$1"
BUILD_DIR="$2"
VERSION="$3"
APP_ID="io.github.eventscope.EventScope"

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/eventscope-packaging.XXXXXX")"
cleanup() { rm -rf "$SCRATCH"; }
trap cleanup EXIT

FAILURES=0
fail() {
    echo "FAIL: $*" >&2
    FAILURES=$((FAILURES + 1))
}

for tool in dpkg-deb dpkg-shlibdeps file appstreamcli desktop-file-validate; do
    command -v "$tool" >/dev/null ||
        { echo "FAIL: $tool not found: apt install dpkg-dev file appstream desktop-file-utils" >&2; exit 1; }
done

echo "== cpack -G DEB ($BUILD_DIR → $SCRATCH/out)"
if ! "$CPACK" -G DEB --config "$BUILD_DIR/CPackConfig.cmake" -B "$SCRATCH/out" >"$SCRATCH/cpack.log" 2>&1; then
    cat "$SCRATCH/cpack.log" >&2
    echo "FAIL: cpack could not build the packages (log above)" >&2
    exit 1
fi
DEB="$(find "$SCRATCH/out" -maxdepth 1 -name "eventscope_${VERSION}_*.deb" -print -quit)"
[ -n "$DEB" ] || { ls -l "$SCRATCH/out" >&2; echo "FAIL: no eventscope_${VERSION}_*.deb was written" >&2; exit 1; }
echo "== $(basename "$DEB")"
dpkg-deb --info "$DEB"

echo "== control fields"
[ "$(dpkg-deb --field "$DEB" Package)" = eventscope ] || fail "Package is not 'eventscope'"
[ "$(dpkg-deb --field "$DEB" Version)" = "$VERSION" ] || fail "Version is not $VERSION"
DEPENDS="$(dpkg-deb --field "$DEB" Depends)"
for dependency in libqt6core6 libqt6gui6 libqt6widgets6 libqt6sql6 libqt6charts6 libqt6httpserver6 \
    libqt6sql6-sqlite qt6-qpa-plugins; do
    grep -Eq "(^|, )$dependency( |,|$)" <<<"$DEPENDS" || fail "Depends lacks $dependency: $DEPENDS"
done
grep -q "libqt6sql6-psql" <<<"$(dpkg-deb --field "$DEB" Recommends)" || fail "Recommends lacks libqt6sql6-psql"

echo "== contents"
ROOT="$SCRATCH/root"
dpkg-deb -x "$DEB" "$ROOT"
expected=(
    usr/bin/eventscope
    usr/bin/eventscope-cli
    "usr/share/applications/$APP_ID.desktop"
    "usr/share/metainfo/$APP_ID.metainfo.xml"
    "usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"
    usr/share/man/man1/eventscope.1.gz
    usr/share/man/man1/eventscope-cli.1.gz
    usr/share/eventscope/config.example.yaml
    usr/share/doc/eventscope/copyright
)
for size in 16 22 24 32 48 64 128 256; do
    expected+=("usr/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png")
done
for path in "${expected[@]}"; do
    [ -s "$ROOT/$path" ] || fail "the package does not install /$path"
done
for program in eventscope eventscope-cli; do
    [ -x "$ROOT/usr/bin/$program" ] || fail "/usr/bin/$program is not executable"
done
for size in 16 22 24 32 48 64 128 256; do
    icon="$ROOT/usr/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
    [ -f "$icon" ] || continue
    file "$icon" | grep -q "PNG image data, $size x $size," ||
        fail "the ${size}x${size} icon is not a ${size}x${size} PNG: $(file -b "$icon")"
done
# The runtime package holds no development files (they belong to eventscope-dev).
if [ -d "$ROOT/usr/include" ] || find "$ROOT" -name '*.a' -o -name '*.cmake' | grep -q .; then
    fail "the runtime package contains development files (they belong to eventscope-dev)"
fi
# Debian's man pages are gzip -9n compressed; each must be a page for its program.
for page in eventscope eventscope-cli; do
    file="$ROOT/usr/share/man/man1/$page.1.gz"
    [ -f "$file" ] || continue
    gzip -t "$file" || fail "$page.1.gz is not valid gzip"
    zcat "$file" | grep -q "^\.TH \"\?${page^^}\"\? \"\?1\"\?" || fail "$page.1.gz has no .TH ${page^^} 1 header"
    zcat "$file" | grep -qF -- '\-\-version' || fail "$page.1.gz does not document --version"
    ! zcat "$file" | grep -q '???' || fail "$page.1.gz has characters help2man could not convert ('???')"
done
if [ -f "$ROOT/usr/share/man/man1/eventscope-cli.1.gz" ]; then
    zcat "$ROOT/usr/share/man/man1/eventscope-cli.1.gz" | grep -q '^\.SS "eventscope-cli read"' ||
        fail "eventscope-cli.1 lacks the section of the read command"
fi

echo "== desktop-file-validate, appstreamcli validate --no-net"
desktop-file-validate "$ROOT/usr/share/applications/$APP_ID.desktop" ||
    fail "desktop-file-validate rejects the .desktop file"
grep -qx "Icon=$APP_ID" "$ROOT/usr/share/applications/$APP_ID.desktop" || fail "the .desktop file's Icon is not $APP_ID"
appstreamcli validate --no-net "$ROOT/usr/share/metainfo/$APP_ID.metainfo.xml" ||
    fail "appstreamcli validate rejects the metainfo"
# The tree as installed: the metainfo's launchable must name the desktop file the package really ships.
appstreamcli validate-tree --no-net "$ROOT" || fail "appstreamcli validate-tree rejects the installed tree"
grep -q "<release version=\"$VERSION\"" "$ROOT/usr/share/metainfo/$APP_ID.metainfo.xml" ||
    fail "the metainfo has no release entry for $VERSION"

# eventscope-dev is built when core installs its Development component (the engine as a CMake package).
DEV_DEB="$(find "$SCRATCH/out" -maxdepth 1 -name "eventscope-dev_${VERSION}_*.deb" -print -quit)"
if [ -n "$DEV_DEB" ]; then
    echo "== $(basename "$DEV_DEB")"
    DEV_DEPENDS="$(dpkg-deb --field "$DEV_DEB" Depends)"
    for dependency in qt6-base-dev libyaml-cpp-dev libsqlite3-dev; do
        grep -q "$dependency" <<<"$DEV_DEPENDS" || fail "eventscope-dev's Depends lacks $dependency: $DEV_DEPENDS"
    done
    DEV_FILES="$(dpkg-deb --contents "$DEV_DEB")"
    for pattern in '/cmake/EventScope/EventScopeConfig\.cmake$' '/libeventscope_core\.a$' '/include/eventscope/'; do
        grep -Eq "$pattern" <<<"$DEV_FILES" || fail "eventscope-dev has no file matching $pattern"
    done
    grep -Eq '/usr/bin/|/share/applications/' <<<"$DEV_FILES" && fail "eventscope-dev contains runtime files"
else
    echo "== no eventscope-dev package (core installs no Development component)"
fi

echo "== the unpacked programs run (their libraries from the system)"
for program in eventscope-cli eventscope; do
    [ -x "$ROOT/usr/bin/$program" ] || continue
    # stdout only: Qt may warn on stderr (e.g. about XDG_RUNTIME_DIR), which is not the version.
    if output="$(env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=offscreen "$ROOT/usr/bin/$program" --version)"; then
        echo "$output"
        grep -qx "$program $VERSION" <<<"$output" ||
            fail "$program --version printed '$output', not '$program $VERSION'"
    else
        fail "$program --version failed: $output"
    fi
done

if [ "$FAILURES" -ne 0 ]; then
    echo "$FAILURES check(s) failed" >&2
    exit 1
fi
echo "all package checks passed"
