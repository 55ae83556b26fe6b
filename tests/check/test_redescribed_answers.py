"""Property (issue #11): symgd's own answer, described another way, is accepted.

symgd's critical points are re-described as a student might write them: parameters renamed
(t -> s, n -> k, or any letter declared "a ∈ Z"), an integer index shifted (n -> n + 3),
a lattice split into its even and odd members (n -> 2n and 2n + 1), a real family
reparametrized (t -> 2t - 1, t -> t³) or split into halves (t -> t² and t -> -t²), and the
entries shuffled. Each description is the same set of real points, so the whole answer must be
right. The same descriptions with the lattice shifted by a non-multiple of its period must be
wrong, so that the property cannot hold by accepting everything.
"""

from __future__ import annotations

import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symgd.check import check
from symgd.critical.points import critical_points
from symgd.critical.records import LOCAL_MAX, LOCAL_MIN, SADDLE

FUNCTIONS = ["sin(x)", "cos(x) + cos(y)", "(x^2 + y^2 - 1)^2", "x^2 + z^2", "sin(x + y)",
             "x^3 - 3x + y^2", "cos(x)", "sin(x) sin(y)"]
VARIABLES = {"x^2 + z^2": "x, y, z"}
KIND_WORDS = {LOCAL_MIN: ["min", "local minimum", "relative min"],
              LOCAL_MAX: ["max", "local maximum", "rel. max"],
              SADDLE: ["saddle", "saddle point", "neither"]}
REAL_NAMES = ["s", "u", "v", "w", "a"]
INTEGER_NAMES = ["k", "m", "j", "n"]


def _text(expr) -> str:
    return sp.sstr(expr)


def _describe(cp, draw) -> list[tuple[list[str], str]]:
    """One or more sets (coordinate texts, a declaration) whose union is the set ``cp``."""
    point = list(cp.point)
    ints = list(cp.integer_parameters)
    reals = [p for p in cp.parameters if p not in ints]
    declared = []
    new_ints, new_reals = {}, {}
    for p in ints:  # a name of the integer letters, a numbered one, or any letter declared
        used = {s.name for s in new_ints.values()}
        name = draw(st.sampled_from([n for n in INTEGER_NAMES + ["n1", "b", "c"]
                                     if n not in used]))
        new_ints[p] = sp.Symbol(name, integer=True)
        if name in ("b", "c"):
            declared.append(name)
    for p in reals:
        name = draw(st.sampled_from([n for n in REAL_NAMES if n not in
                                     {s.name for s in new_reals.values()}]))
        new_reals[p] = sp.Symbol(name, real=True)
    texts = []
    if ints:
        shifted = {p: new_ints[p] + draw(st.integers(-3, 3)) for p in ints}
        if draw(st.booleans()):  # split the first index into its even and odd members
            p = ints[0]
            halves = [{**shifted, p: 2 * new_ints[p]}, {**shifted, p: 2 * new_ints[p] + 1}]
        else:
            halves = [shifted]
    else:
        halves = [{}]
    for index_map in halves:
        if reals:
            t = reals[0]
            how = draw(st.sampled_from(["same", "affine", "cube", "split"]))
            s = new_reals[t]
            maps = {"same": [s], "affine": [2 * s - 1], "cube": [s**3],
                    "split": [s**2, -s**2]}[how]
        else:
            maps = [None]
        for real_map in maps:
            values = dict(index_map)
            if real_map is not None:
                values[reals[0]] = real_map
                for q in reals[1:]:
                    values[q] = new_reals[q]
            coords = [_text(sp.expand(c.xreplace(values))) for c in point]
            texts.append((coords, ", " + ", ".join(declared) + " ∈ Z" if declared else ""))
    return texts


def _write(coords: list[str], declaration: str) -> str:
    return "(" + ", ".join(coords) + ")" + declaration


def _answer(cps, draw, with_kinds: bool):
    entries = []
    for cp in cps:
        for coords, declaration in _describe(cp, draw):
            text = _write(coords, declaration)
            kind = draw(st.sampled_from(KIND_WORDS[cp.kind])) if with_kinds else None
            entries.append((text, kind))
    order = draw(st.permutations(range(len(entries))))
    entries = [entries[i] for i in order]
    if with_kinds:
        return dict(entries)
    return [text for text, _ in entries]


@settings(max_examples=14, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.data_too_large])
@given(st.sampled_from(FUNCTIONS), st.data())
def test_symgd_answer_in_another_form_is_accepted(f, data):
    cps = critical_points(f, VARIABLES.get(f))
    kinds_known = all(not cp.cases and cp.kind in KIND_WORDS for cp in cps)
    with_kinds = kinds_known and data.draw(st.booleans())
    answer = _answer(cps, data.draw, with_kinds)
    report = check(f, VARIABLES.get(f), critical_points=answer)
    assert report.correct, (answer, str(report))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["sin(x)", "cos(x) + cos(y)", "cos(x)"]), st.data())
def test_a_lattice_shifted_off_its_period_is_wrong(f, data):
    cps = critical_points(f)
    sets = [d for cp in cps for d in _describe(cp, data.draw)]
    shift = data.draw(st.sampled_from(["1", "pi/3", "1/2"]))
    victim = data.draw(st.integers(0, len(sets) - 1))
    coords, declaration = sets[victim]
    sets[victim] = ([f"{coords[0]} + {shift}", *coords[1:]], declaration)
    texts = [_write(c, d) for c, d in sets]
    report = check(f, critical_points=texts)
    assert not report.correct and "is not a set of critical points" in str(report), texts
