"""``frontlines serve``: the HTTP API and the map dashboard, in one process.

Public API::

    create_app(db, *, token=None, read_token=None, cors_origins=(), max_body=..., tile_url=None, ...) -> FastAPI
    run(db, *, host="127.0.0.1", port=8000, token=None, read_token=None, workers=1, ...)   # blocks (uvicorn)
"""
from __future__ import annotations

import ipaddress
import logging

log = logging.getLogger(__name__)


def create_app(*args, **kwargs):
    from .app import create_app as _create

    return _create(*args, **kwargs)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_CONFIG_ENV = "FRONTLINES_SERVE_CONFIG"


def app_from_environment():
    """The app described by $FRONTLINES_SERVE_CONFIG (how each of several worker processes makes
    its own: uvicorn starts them with an import string)."""
    import json
    import os

    cfg = json.loads(os.environ[_CONFIG_ENV])
    return create_app(cfg["db"], token=cfg.get("token"), tile_url=cfg.get("tile_url"),
                      tile_attribution=cfg.get("tile_attribution", ""), read_token=cfg.get("read_token"),
                      cors_origins=cfg.get("cors_origins", ()), max_body=cfg.get("max_body", MAX_BODY))


#: The largest request body the server takes, in bytes (POST /api/articles).
MAX_BODY = 5_000_000


def run(db: str, *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
        tile_url: str | None = None, tile_attribution: str = "", log_level: str = "warning", workers: int = 1,
        read_token: str | None = None, cors_origins: tuple[str, ...] = (), max_body: int = MAX_BODY) -> None:
    """Serve ``db`` until interrupted; ``workers`` processes each hold their own index (more
    requests at once on more cores, and as many times the memory).  Loopback unless ``host``
    says otherwise; ``read_token`` closes reads; ``cors_origins`` lets those origins' pages call
    the API (none by default)."""
    import json
    import os

    import uvicorn

    if not is_loopback(host):
        log.warning("serving on %s: anyone who can reach this address can %s%s", host,
                    "read the database" if not read_token else "try the read token",
                    "" if not token else " (writes still need the token)")
    options = dict(token=token, tile_url=tile_url, tile_attribution=tile_attribution, read_token=read_token,
                   cors_origins=tuple(cors_origins), max_body=max_body)
    if workers <= 1:
        app = create_app(db, **options)
        uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)
        return
    create_app(db, **options).state.data.close()  # checks
    os.environ[_CONFIG_ENV] = json.dumps({"db": db, **options})
    uvicorn.run("frontlines.serve:app_from_environment", factory=True, host=host, port=port, workers=workers,
                log_level=log_level, access_log=False)


__all__ = ["create_app", "run", "is_loopback"]
