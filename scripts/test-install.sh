#!/bin/sh
# The install test `make test` runs (issue 19): scripts/install.sh into a scratch DESTDIR, the
# Debian package built from that root by scripts/make-deb.sh and unpacked into a second scratch
# root, the installed `vitals --version` run from each, the layout and modes checked, and the
# units verified with `systemd-analyze verify` when it is installed. Uses the binary already
# built (the debug one by default: the static release build and its ldd check are
# `make check-static`, too slow for every test run). Removes its scratch folder on exit.
#
#   BIN=.build/debug/vitals scripts/test-install.sh
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/.build/debug/vitals}
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/vitals-install-XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT INT TERM
fail() { echo "install test: $*" >&2; exit 1; }

WANT=$("$BIN" --version)
DEST=$SCRATCH/root
BIN=$BIN PREFIX=/usr DESTDIR=$DEST SYSCONFDIR=/etc "$ROOT/scripts/install.sh"

[ "$("$DEST/usr/bin/vitals" --version)" = "$WANT" ] || fail "the installed vitals --version is not $WANT"
for f in usr/share/vitals/rules/ketamine.yaml usr/share/man/man1/vitals.1.gz usr/share/man/man1/vitals-run.1.gz \
    usr/share/man/man1/vitals-tail.1.gz usr/share/bash-completion/completions/vitals \
    usr/share/zsh/vendor-completions/_vitals usr/share/fish/vendor_completions.d/vitals.fish \
    usr/lib/systemd/system/vitals.service usr/lib/systemd/system/vitals-forward.service \
    usr/lib/udev/rules.d/60-vitals.rules usr/lib/sysusers.d/vitals.conf usr/lib/tmpfiles.d/vitals.conf \
    etc/vitals/vitals.conf usr/share/doc/vitals/README.md usr/share/doc/vitals/contrib-README.md \
    usr/share/doc/vitals/INTERFACES.md; do
    [ -s "$DEST/$f" ] || fail "$f is missing or empty"
done
# The installed rule set loads, from the installed binary, with the exit code of success.
"$DEST/usr/bin/vitals" rules check "$DEST/usr/share/vitals/rules/ketamine.yaml" > /dev/null 2>&1 \
    || fail "the installed rules do not pass vitals rules check"
# Every path a unit names is one the package installs.
for unit in vitals.service vitals-forward.service; do
    for doc in $(sed -n 's/^Documentation=//p' "$DEST/usr/lib/systemd/system/$unit"); do
        case $doc in
            file://*) [ -s "$DEST${doc#file://}" ] || fail "$unit names $doc, which is not installed" ;;
            man:*) page=${doc#man:}; page=${page%%(*}
                   [ -s "$DEST/usr/share/man/man1/$page.1.gz" ] || fail "$unit names $doc, which is not installed" ;;
        esac
    done
    exe=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$DEST/usr/lib/systemd/system/$unit")
    [ -x "$DEST$exe" ] || fail "$unit runs $exe, which is not installed"
done
grep -qE '@[A-Z]+@' "$DEST/usr/lib/systemd/system/vitals.service" && fail "vitals.service has an unfilled @PLACEHOLDER@"
# The group-shared state directory: setgid 2770, never world-readable.
grep -q '^d /var/lib/vitals 2770 vitals vitals' "$DEST/usr/lib/tmpfiles.d/vitals.conf" || fail "tmpfiles: /var/lib/vitals is not 2770 vitals"
for unit in vitals.service vitals-forward.service; do
    grep -q '^StateDirectoryMode=2770$' "$DEST/usr/lib/systemd/system/$unit" || fail "$unit: StateDirectoryMode is not 2770"
done

if command -v systemd-analyze > /dev/null 2>&1; then
    # Verified as installed, except that the binaries point into the scratch root (verify checks
    # that ExecStart= is executable on this machine); --man=no: the man pages were checked above
    # (man(1) would search this machine's MANPATH).
    mkdir "$SCRATCH/verify"
    for unit in vitals.service vitals-forward.service; do
        sed "s|^ExecStart=/usr/bin/|ExecStart=$DEST/usr/bin/|" "$DEST/usr/lib/systemd/system/$unit" > "$SCRATCH/verify/$unit"
        out=$(systemd-analyze verify --man=no "$SCRATCH/verify/$unit" 2>&1) || {
            echo "$out" >&2; fail "systemd-analyze verify $unit failed"; }
        # verify exits 0 on some warnings: any line naming the unit is a problem with it.
        if echo "$out" | grep -F "$unit" > /dev/null; then
            echo "$out" >&2; fail "systemd-analyze verify $unit reported the lines above"
        fi
    done
else
    echo "install test: systemd-analyze not installed; the units were not verified"
fi

if command -v dpkg-deb > /dev/null 2>&1; then
    cp -a "$DEST" "$SCRATCH/deb-root"
    DEB_COMPRESS=none "$ROOT/scripts/make-deb.sh" "$SCRATCH/deb-root" "$BIN" "$SCRATCH" > /dev/null
    deb=$(ls "$SCRATCH"/vitals_*.deb)
    dpkg-deb --field "$deb" Package | grep -qx vitals || fail "$deb: Package is not vitals"
    dpkg-deb --field "$deb" Depends | grep -q systemd || fail "$deb: Depends lacks systemd"
    dpkg-deb --extract "$deb" "$SCRATCH/unpacked"
    [ "$("$SCRATCH/unpacked/usr/bin/vitals" --version)" = "$WANT" ] || fail "vitals from the .deb does not run"
    [ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = "/etc/vitals/vitals.conf" ] || fail "conffiles"
else
    echo "install test: dpkg-deb not installed; the package was not built"
fi
echo "install test: ok ($WANT into $DEST and from the .deb)"
