#!/bin/sh
# Renders the PNG sizes of the application icon from the SVG. The PNGs are checked in so
# that building needs no SVG renderer; run this (needs rsvg-convert, Debian package
# librsvg2-bin) after changing the SVG and commit the result.
set -eu
cd "$(dirname "$0")"
id=io.github.qwen_bridge.QwenBridge
for size in 16 22 24 32 48 64 128 256; do
    mkdir -p "${size}x${size}"
    rsvg-convert --width "$size" --height "$size" --output "${size}x${size}/$id.png" "$id.svg"
done
