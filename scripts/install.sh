#!/bin/sh
# Installs vitals into $DESTDIR$PREFIX (make install, make deb, and the install test).
#
#   BIN=path/to/vitals PREFIX=/usr/local DESTDIR= SYSCONFDIR=/etc scripts/install.sh
#
# Lays out: the binary; the shipped rules in PREFIX/share/vitals/rules (a site overrides them in
# /etc/vitals/rules); man pages generated from the commands; bash, zsh and fish completions; the
# systemd unit, sysusers and tmpfiles files; the udev rules; /etc/vitals/vitals.conf (not
# replaced when present); and the docs the unit names.
set -eu
BIN=${BIN:?BIN=path to the vitals binary}
PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
SYSCONFDIR=${SYSCONFDIR:-/etc}
# systemd and udev read /usr/lib or /lib; /usr/local/lib is not searched, so a /usr/local
# install puts them under /usr/local/lib and says how to link them (contrib/README.md).
LIBDIR=${LIBDIR:-$PREFIX/lib}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
D="$DESTDIR"
DOC="$PREFIX/share/doc/vitals"
RULES="$PREFIX/share/vitals/rules"

install -d "$D$PREFIX/bin" "$D$RULES" "$D$PREFIX/share/man/man1" "$D$DOC" \
    "$D$PREFIX/share/bash-completion/completions" "$D$PREFIX/share/zsh/vendor-completions" \
    "$D$PREFIX/share/fish/vendor_completions.d" "$D$LIBDIR/systemd/system" "$D$LIBDIR/udev/rules.d" \
    "$D$LIBDIR/sysusers.d" "$D$LIBDIR/tmpfiles.d" "$D$SYSCONFDIR/vitals"
install -m 0755 "$BIN" "$D$PREFIX/bin/vitals"
for f in "$ROOT"/Rules/*.yaml; do install -m 0644 "$f" "$D$RULES/"; done

# Generated from the installed binary, so pages and completions match it exactly.
python3 "$ROOT/scripts/gen-man.py" "$BIN" "$D$PREFIX/share/man/man1"
gzip -9nf "$D$PREFIX"/share/man/man1/*.1
"$BIN" --generate-completion-script bash > "$D$PREFIX/share/bash-completion/completions/vitals"
"$BIN" --generate-completion-script zsh > "$D$PREFIX/share/zsh/vendor-completions/_vitals"
"$BIN" --generate-completion-script fish > "$D$PREFIX/share/fish/vendor_completions.d/vitals.fish"

sed -e "s|@BINDIR@|$PREFIX/bin|g" -e "s|@DOCDIR@|$DOC|g" -e "s|@RULESDIR@|$RULES|g" \
    "$ROOT/contrib/vitals.service.in" > "$D$LIBDIR/systemd/system/vitals.service"
chmod 0644 "$D$LIBDIR/systemd/system/vitals.service"
# The forwarder's unit names /usr/local; it follows PREFIX like the room's.
sed -e "s|/usr/local/bin/|$PREFIX/bin/|g" -e "s|/usr/local/share/doc/vitals/|$DOC/|g" \
    "$ROOT/contrib/vitals-forward.service" > "$D$LIBDIR/systemd/system/vitals-forward.service"
chmod 0644 "$D$LIBDIR/systemd/system/vitals-forward.service"
install -m 0644 "$ROOT/contrib/60-vitals.rules" "$D$LIBDIR/udev/rules.d/60-vitals.rules"
install -m 0644 "$ROOT/contrib/vitals.sysusers" "$D$LIBDIR/sysusers.d/vitals.conf"
install -m 0644 "$ROOT/contrib/vitals.tmpfiles" "$D$LIBDIR/tmpfiles.d/vitals.conf"
[ -e "$D$SYSCONFDIR/vitals/vitals.conf" ] || install -m 0644 "$ROOT/contrib/vitals.conf" "$D$SYSCONFDIR/vitals/vitals.conf"

install -m 0644 "$ROOT/README.md" "$D$DOC/README.md"
install -m 0644 "$ROOT/contrib/README.md" "$D$DOC/contrib-README.md"
install -m 0644 "$ROOT/contrib/devices.example.yaml" "$D$DOC/devices.example.yaml"
for f in "$ROOT"/docs/*.md; do install -m 0644 "$f" "$D$DOC/"; done
