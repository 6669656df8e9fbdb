"""``frontlines serve``: the HTTP API and the map dashboard, in one process.

Public API::

    create_app(db, *, token=None, tile_url=None, tile_attribution="") -> FastAPI
    run(db, *, host="127.0.0.1", port=8000, token=None, tile_url=None, ...)   # blocks (uvicorn)
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


def run(db: str, *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
        tile_url: str | None = None, tile_attribution: str = "", log_level: str = "warning") -> None:
    """Serve ``db`` until interrupted."""
    import uvicorn

    app = create_app(db, token=token, tile_url=tile_url, tile_attribution=tile_attribution)
    if not is_loopback(host):
        log.warning("serving on %s: anyone who can reach this address can read the database%s", host,
                    "" if not token else " (writes still need the token)")
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)


__all__ = ["create_app", "run", "is_loopback"]
