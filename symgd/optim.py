"""Optimizers, as objects: ``symgd.optim.adam(0.01)``, ``symgd.optim.momentum(0.1, 0.9)``.

The public face of :mod:`symgd.descent.optim`, where each family lives in its own module
(plain and momentum gd, adaptive methods, Newton). An optimizer is a pair of pure functions,
``init(x) -> state`` and ``update(x, g, state, lr, step, hess=None) -> (x, state)``.

Example:
    >>> import symgd
    >>> symgd.optim.adam(0.05)
    adam(lr=0.05)
"""

from symgd.descent.optim import (
    METHODS,
    AdaGrad,
    Adam,
    GradientDescent,
    Momentum,
    Nesterov,
    Newton,
    Optimizer,
    RMSProp,
    State,
    adagrad,
    adam,
    gd,
    get,
    momentum,
    nesterov,
    newton,
    newton_direction,
    rmsprop,
)

__all__ = ["Optimizer", "State", "GradientDescent", "Momentum", "Nesterov", "AdaGrad",
           "RMSProp", "Adam", "Newton", "gd", "momentum", "nesterov", "adagrad", "rmsprop",
           "adam", "newton", "newton_direction", "get", "METHODS"]
