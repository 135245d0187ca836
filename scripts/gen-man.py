#!/usr/bin/env python3
"""Man pages generated from the commands themselves.

Reads the command tree `vitals --experimental-dump-help` prints (swift-argument-parser's JSON
of every command, argument and help text) and writes one roff page per command:
vitals.1, vitals-tail.1, vitals-session-start.1 ... The exit-code table comes from
`vitals --help`, so the pages, --help and README say the same thing.

usage: scripts/gen-man.py VITALS_BINARY OUTPUT_DIRECTORY
"""
import json
import subprocess
import sys
from pathlib import Path


def roff(text):
    """Escapes text for roff: backslashes, and a leading dot or quote on a line."""
    out = []
    for line in (text or "").replace("\\", "\\e").split("\n"):
        if line.startswith((".", "'")):
            line = "\\&" + line
        out.append(line.replace("-", "\\-"))
    return "\n".join(out)


def synopsis_of(arg):
    names = arg.get("names") or []
    long = [n for n in names if n["kind"] in ("long", "longWithSingleDash")]
    short = [n for n in names if n["kind"] == "short"]
    parts = [("-" if n["kind"] != "long" else "--") + n["name"] for n in short + long]
    value = arg.get("valueName")
    if arg["kind"] == "positional":
        return f"\\fI{value}\\fR"
    label = ", ".join(f"\\fB{roff(p)}\\fR" for p in parts)
    if arg["kind"] == "option":
        label += f" \\fI{roff(value or 'value')}\\fR"
    return label


def page(cmd, path, exit_table, version):
    name = "-".join(path)
    title = " ".join(path)
    lines = [
        f'.TH "{name.upper()}" "1" "" "vitals {version}" "vitals manual"',
        ".SH NAME",
        f"{roff(name)} \\- {roff(cmd.get('abstract', ''))}",
        ".SH SYNOPSIS",
        f"\\fB{roff(title)}\\fR" + (" \\fIsubcommand\\fR" if cmd.get("subcommands") else " [\\fIoptions\\fR]"),
    ]
    if cmd.get("discussion"):
        lines += [".SH DESCRIPTION", roff(cmd["discussion"].split("EXIT STATUS:")[0].strip())]
    args = [a for a in cmd.get("arguments", []) if a.get("shouldDisplay", True)]
    if args:
        lines.append(".SH OPTIONS")
        for a in args:
            lines += [".TP", synopsis_of(a), roff(a.get("abstract", ""))]
            if a.get("discussion"):
                lines.append(roff(str(a["discussion"]) if isinstance(a["discussion"], str) else ""))
            if a.get("defaultValue"):
                lines.append(f"(default: {roff(a['defaultValue'])})")
    subs = [s for s in cmd.get("subcommands", []) if s.get("shouldDisplay", True) and s["commandName"] != "help"]
    if subs:
        lines.append(".SH COMMANDS")
        for s in subs:
            lines += [".TP", f"\\fB{roff(title + ' ' + s['commandName'])}\\fR", roff(s.get("abstract", "")),
                      f"See \\fB{roff(name + '-' + s['commandName'])}\\fR(1)."]
    lines += [".SH EXIT STATUS", ".nf", roff(exit_table), ".fi"]
    lines += [
        ".SH FILES",
        ".TP", "\\fI/etc/vitals/vitals.conf\\fR",
        "\\fBdb = PATH\\fR: the room database the commands use when neither \\fB\\-\\-db\\fR nor \\fBVITALS_DB\\fR is given.",
        ".TP", "\\fI/etc/vitals/rules/\\fR", "Site rules, used instead of \\fI/usr/share/vitals/rules/\\fR when present.",
        ".TP", "\\fI/etc/vitals/devices.yaml\\fR", "Optional devices file assigning serial ports to monitor profiles.",
        ".SH ENVIRONMENT",
        ".TP", "\\fBVITALS_DB\\fR", "The database path.",
        ".TP", "\\fBVITALS_ROOM\\fR", "The room name.",
        ".TP", "\\fBNO_COLOR\\fR, \\fBTERM=dumb\\fR", "No colour (unless \\fB\\-\\-color=always\\fR).",
        ".SH SEE ALSO",
        "\\fBvitals\\fR(1), /usr/share/doc/vitals/README.md",
    ]
    return "\n".join(lines) + "\n"


def walk(cmd, path, out, exit_table, version):
    (out / f"{'-'.join(path)}.1").write_text(page(cmd, path, exit_table, version))
    for s in cmd.get("subcommands", []):
        if s.get("shouldDisplay", True) and s["commandName"] != "help":
            walk(s, path + [s["commandName"]], out, exit_table, version)


def main():
    binary, out = sys.argv[1], Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    tree = json.loads(subprocess.run([binary, "--experimental-dump-help"], check=True, capture_output=True, text=True).stdout)
    helptext = subprocess.run([binary, "--help"], check=True, capture_output=True, text=True).stdout
    exit_table = helptext.split("EXIT STATUS:")[1].split("\n\n")[0].strip("\n") if "EXIT STATUS:" in helptext else ""
    version = subprocess.run([binary, "--version"], check=True, capture_output=True, text=True).stdout.strip()
    walk(tree["command"], ["vitals"], out, exit_table, version)


if __name__ == "__main__":
    main()
