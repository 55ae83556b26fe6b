"""The playground: an interactive page to play with gradient descent, served locally.

``serve()`` starts a small web server on ``127.0.0.1`` and opens the page: type a function of
one or two variables, pick a start, a learning rate and a method, and watch the iterates
move over the curve or the contour map, beside the exact critical points; or place data
points and watch a line being fitted by (mini-batch, stochastic) gradient descent. The page
is plain HTML, CSS and JavaScript shipped inside the package (no CDN: it works offline); all
the mathematics is symgd's own, behind a small JSON API (:mod:`symgd.playground.api`).

The whole state of the page is in its URL, so a link opens a lesson
(:func:`playground_url`); in a Jupyter notebook, ``show("x^2", lr=1)`` displays the page in
an IFrame, served by a background server.

Example:
    From a terminal (it blocks until Ctrl-C, so it is not a doctest)::

        $ symgd playground --open "x^2" --lr 1
        symgd playground at http://127.0.0.1:8765/?mode=function&f=x%5E2&lr=1  (Ctrl-C to stop)
"""

from __future__ import annotations

from .server import make_server, serve
from .share import PlaygroundFrame, playground_url, show

__all__ = ["serve", "make_server", "show", "playground_url", "PlaygroundFrame"]
