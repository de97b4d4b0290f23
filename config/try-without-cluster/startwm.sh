#!/bin/sh
# The demo account's desktop session (sesman runs ~/startwm.sh): a window manager if one is installed, else an empty
# desktop that lasts until the session is ended.
if command -v x-window-manager >/dev/null 2>&1; then
    exec x-window-manager
fi
exec sleep infinity
