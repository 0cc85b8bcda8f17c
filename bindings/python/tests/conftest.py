"""Shared setup: the generated module (run-tests.sh puts its directory on PYTHONPATH), the
MiniStack fixture module (bindings/testing), and the copied known-answer data."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO_ROOT, "bindings", "testing"))


def read_tsv(name):
    """Rows of a tab-separated file in data/, comment lines dropped, as dicts by header."""
    with open(os.path.join(DATA, name), encoding="utf-8") as source:
        lines = [line.rstrip("\n") for line in source if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]
