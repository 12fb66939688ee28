#!/usr/bin/python3
"""Python Certbot's own command-line parser, for tests/interop/cli_flags.sh.

    pyparse.py flags        one line per option: JSON {"opts", "nargs",
                            "choices", "int", "dest"}
    pyparse.py < argv.jsonl for each JSON argv list read, one JSON result:
                            {"rc": 0, "verb", "domains", "webroot_map", ...}
                            or {"rc": 2} (argparse error) or
                            {"rc": 1, "err"} (a Certbot error at parse time)
    pyparse.py cases DIR < extra
                            command lines to try: "certificates OPT [VALUE]"
                            for every option of the parser, in every
                            spelling (aliases, --opt=value, -oVALUE), then
                            the shell-quoted lines of `extra`; prints
                            "<rc>\t<shell-quoted argv>" per line, rc as
                            above.  DIR holds the files values point to.

Runs Debian's certbot 2.1 in-process, so parsing hundreds of command lines
takes a second instead of one interpreter start each.  Only the parser is
run: nothing is written and no network is used.
"""
import json
import logging
import os
import shlex
import sys

from certbot._internal import cli
from certbot._internal.plugins import disco


def dump_flags(plugins):
    for act in parser_of(plugins)._actions:
        if not act.option_strings:
            continue
        print(json.dumps({
            "opts": act.option_strings,
            "nargs": act.nargs,
            "choices": list(act.choices) if act.choices else None,
            "int": act.type is int,
            "dest": act.dest,
        }))


def parser_of(plugins):
    """The argparse parser prepare_and_parse_args builds (not parsing)."""
    devnull = open(os.devnull, "w")
    real = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = devnull
    captured = {}
    orig = cli.HelpfulArgumentParser.parse_args

    def grab(self):
        captured["parser"] = self.parser
        raise SystemExit(0)
    cli.HelpfulArgumentParser.parse_args = grab
    try:
        cli.prepare_and_parse_args(plugins, ["certificates"])
    except SystemExit:
        pass
    finally:
        cli.HelpfulArgumentParser.parse_args = orig
        sys.stdout, sys.stderr = real
    return captured["parser"]


def value_for(act, tdir):
    fixed = {
        "config_file": os.path.join(tdir, "empty.ini"),
        "webroot_path": os.path.join(tdir, "wr"),
        "webroot_map": json.dumps({"a.test": os.path.join(tdir, "wr")}),
        "server": "https://127.0.0.1:9/dir",
        "csr": os.path.join(tdir, "missing.csr"),
        "pref_challs": "http",
        "config_dir": os.path.join(tdir, "c"),
        "work_dir": os.path.join(tdir, "w"),
        "logs_dir": os.path.join(tdir, "l"),
    }
    if act.dest in fixed:
        return fixed[act.dest]
    if act.choices:
        return list(act.choices)[0]
    return "1"


def try_parse(plugins, argv):
    devnull = open(os.devnull, "w")
    real = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = devnull
    try:
        # (it removes the verb from the list it is given)
        cli.prepare_and_parse_args(plugins, list(argv))
        return 0
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 2
    except Exception:  # a Certbot error raised while parsing
        return 1
    finally:
        sys.stdout, sys.stderr = real


def cases(plugins, tdir):
    argvs = []
    for act in parser_of(plugins)._actions:
        if not act.option_strings or act.dest in ("help", "version"):
            continue
        if act.nargs == 0:
            argvs += [["certificates", o] for o in act.option_strings]
            continue
        val = value_for(act, tdir)
        for o in act.option_strings:
            argvs.append(["certificates", o, val])
            if o.startswith("--"):
                argvs.append(["certificates", o + "=" + val])
            else:
                argvs.append(["certificates", o + val])
    for line in sys.stdin:
        if line.strip() and not line.startswith("#"):
            argvs.append(shlex.split(line))
    for argv in argvs:
        print("%d\t%s" % (try_parse(plugins, argv),
                          " ".join(shlex.quote(a) for a in argv)), flush=True)


def parse_lines(plugins):
    devnull = open(os.devnull, "w")
    real = sys.stdout, sys.stderr
    for line in sys.stdin:
        argv = json.loads(line)
        sys.stdout = sys.stderr = devnull
        try:
            ns = cli.prepare_and_parse_args(plugins, list(argv))
            res = {"rc": 0, "verb": ns.verb, "domains": ns.domains,
                   "webroot_map": getattr(ns, "webroot_map", None),
                   "key_type": ns.key_type, "pref_challs": ns.pref_challs,
                   "verbose": ns.verbose_count,
                   "noninteractive": ns.noninteractive_mode}
        except SystemExit as e:
            res = {"rc": e.code if isinstance(e.code, int) else 2}
        except Exception as e:  # a Certbot error raised while parsing
            res = {"rc": 1, "err": str(e)}
        finally:
            sys.stdout, sys.stderr = real
        print(json.dumps(res), flush=True)


def main():
    logging.disable(logging.CRITICAL)
    plugins = disco.PluginsRegistry.find_all()
    if sys.argv[1:] == ["flags"]:
        dump_flags(plugins)
    elif sys.argv[1:2] == ["cases"]:
        cases(plugins, sys.argv[2])
    else:
        parse_lines(plugins)


if __name__ == "__main__":
    main()
