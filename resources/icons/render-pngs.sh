#!/bin/sh
# Renders the tray icons' PNG sizes from their SVGs. The PNGs are checked in and the tray
# shows them, so neither the build nor the running tray needs an SVG renderer (the tray
# would otherwise map QtSvg for four small pictures). Run this (needs rsvg-convert, Debian
# package librsvg2-bin) after changing an SVG and commit the result.
set -eu
cd "$(dirname "$0")"
for svg in tray-*.svg; do
    state="${svg%.svg}"
    mkdir -p "$state"
    for size in 16 22 24 32 48 64; do
        rsvg-convert --width "$size" --height "$size" --output "$state/$size.png" "$svg"
    done
done
