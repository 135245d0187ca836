#!/bin/sh
# Builds vitals_VERSION_ARCH.deb from a root laid out by scripts/install.sh (PREFIX=/usr).
#   scripts/make-deb.sh ROOT BINARY OUTPUT_DIRECTORY
# DEB_COMPRESS (xz by default) is dpkg-deb's -Z: the install test uses none, for speed.
set -eu
ROOT=$1 BIN=$2 OUT=$3
VERSION=$("$BIN" --version)
ARCH=$(dpkg --print-architecture)
# Shared libraries the binary still needs, as packages (libc, libudev, libsqlite3 …).
DEPENDS=$(ldd "$BIN" | awk '/=> \//{print $3}' | xargs -r dpkg -S 2>/dev/null | cut -d: -f1 | sort -u |
    while read -r p; do printf '%s, ' "$p"; done | sed 's/, $//')
install -d "$ROOT/DEBIAN"
cat > "$ROOT/DEBIAN/control" <<CONTROL
Package: vitals
Version: $VERSION
Architecture: $ARCH
Maintainer: vitals bridge maintainers <vitals@localhost>
Depends: $DEPENDS, systemd, udev
Section: science
Priority: optional
Description: bridge patient monitors to SQLite, alarms and the clinicians' terminal
 Decodes pulse oximeters' and NIBP monitors' serial streams, raises alarms from
 rule files and records every reading in the room's SQLite database.
CONTROL
echo "/etc/vitals/vitals.conf" > "$ROOT/DEBIAN/conffiles"
cat > "$ROOT/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
    systemd-sysusers vitals.conf || true
    systemd-tmpfiles --create vitals.conf || true
    udevadm control --reload 2>/dev/null || true
    if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
fi
POSTINST
cat > "$ROOT/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
POSTRM
chmod 0755 "$ROOT/DEBIAN/postinst" "$ROOT/DEBIAN/postrm"
dpkg-deb -Z"${DEB_COMPRESS:-xz}" --root-owner-group --build "$ROOT" "$OUT/vitals_${VERSION}_${ARCH}.deb"
