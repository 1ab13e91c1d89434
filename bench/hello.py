"""A Flask "hello world" under exactly the gunicorn settings of ``ngo-ld serve``.

The floor of the benchmark: what one request costs in this WSGI stack before ngo_ld does
anything. Run by bench/run.py as ``python bench/hello.py PORT``.
"""

from __future__ import annotations

import sys

from flask import Flask

from ngo_ld.config import Settings
from ngo_ld.server import _Gunicorn, gunicorn_options

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"


if __name__ == "__main__":
    settings = Settings.from_env(host="127.0.0.1", port=int(sys.argv[1]))
    options = gunicorn_options(settings)
    options["proc_name"] = "hello"
    _Gunicorn(app, options).run()
