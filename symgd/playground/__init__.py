"""The playground: an interactive page to play with gradient descent, served locally.

``serve()`` starts a small web server on ``127.0.0.1`` and opens the page: type a function of
one or two variables, pick a start, a learning rate and a method, and watch the iterates
move over the curve or the contour map, beside the exact critical points; or place data
points and watch a line being fitted by (mini-batch, stochastic) gradient descent. The page
is plain HTML, CSS and JavaScript shipped inside the package (no CDN: it works offline); all
the mathematics is symgd's own, behind a small JSON API (:mod:`symgd.playground.api`).

Example:
    From a terminal (it blocks until Ctrl-C, so it is not a doctest)::

        $ symgd playground --port 8765
        symgd playground at http://127.0.0.1:8765/  (Ctrl-C to stop)
"""

from __future__ import annotations

from .server import make_server, serve

__all__ = ["serve", "make_server"]
