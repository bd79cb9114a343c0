#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Renders the application icon resources/icons/eventscope.svg to the PNG sizes the hicolor theme and the window
# icon use (resources/icons/eventscope-<size>.png). Run it after changing the SVG and commit the PNGs: the build
# then needs no SVG renderer. Needs rsvg-convert (Debian package librsvg2-bin).
set -euo pipefail

ICONS="$(cd "$(dirname "${BASH_SOURCE[0]}")/../resources/icons" && pwd)"
SIZES=(16 22 24 32 48 64 128 256)

command -v rsvg-convert >/dev/null || { echo "rsvg-convert not found: apt install librsvg2-bin" >&2; exit 1; }
for size in "${SIZES[@]}"; do
    rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio \
        --output "$ICONS/eventscope-$size.png" "$ICONS/eventscope.svg"
    echo "$ICONS/eventscope-$size.png"
done
