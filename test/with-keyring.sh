#!/usr/bin/env bash
# Runs "$@" with a real Secret Service (gnome-keyring) on a private D-Bus session,
# so keytar talks to an actual OS keychain in tests, as it would on a desktop.
set -euo pipefail
if [ -z "${ZENFLOW_KEYRING_READY:-}" ] && command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  exec dbus-run-session -- bash -c '
    eval "$(printf "zenflow-test\n" | gnome-keyring-daemon --unlock --components=secrets)"
    export GNOME_KEYRING_CONTROL ZENFLOW_KEYRING_READY=1
    exec "$@"' bash "$@"
fi
exec "$@"
