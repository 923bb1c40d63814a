"""Counterfactuals a user can act on: a few small, different changes that flip a classifier's decision.

The question: "what would have to change for the model to decide otherwise?"
The answer follows DiCE (Mothilal, Sharma and Tan, 2020) in what it asks of
an option, not in its code:

- **valid**: each option is checked by a forward pass; an option that does
  not flip the predicted class is never returned;
- **feasible**: only the inputs the user left unlocked change (DiCE's
  ``features_to_vary``), numbers stay within their permitted range (DiCE's
  ``permitted_range``; here the observed training range), integers stay
  whole, values keep the data's precision, and a categorical input takes one
  of its categories (its one-hot columns are set as a whole, never to 0.54);
- **sparse**: options changing one input are tried first, then two, then
  three; every numeric change is then pulled back toward the start as far as
  the flip allows (DiCE's post-hoc sparsity), and a change that is not needed
  is dropped;
- **diverse**: up to ``n_options`` options, no two changing the same inputs
  in the same way (the same inputs in the same directions and categories).

How one set ``S`` of inputs is searched: every combination of other
categories of its categorical inputs is enumerated; from each, the numeric
inputs of ``S`` walk along the gradient of the decision margin (only their
coordinates, in standardized units, clipped to their ranges) until the class
flips, and the step that flipped is bisected back to the boundary. Integers
and stepped values are then rounded away from the start (to the flipped
side) and the result is checked again. A gradient never moves a category.

Distance (to rank options): the sum over changed inputs of
``|after - before| / scale`` (training standard deviations) for numbers, and
1 for each changed category.

The rules are given as :class:`InputRule` (one per input a user sees); the
search itself works on the model's raw rows ``(d,)``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np

from .preprocessing import Model

KINDS = ("numeric", "integer", "switch", "categorical")
#: At most this many categories of one input are tried in a combination of two or more inputs.
MAX_CATEGORIES_IN_COMBINATION = 4


@dataclass(frozen=True)
class InputRule:
    """What values one input (as a user sees it) may take, and which model columns it sets.

    kind : "numeric" (any value), "integer" (whole numbers), "switch" (one of
        two values) or "categorical" (one of ``categories``).
    columns : the model's raw columns this input sets: one for a number; the
        one-hot columns (or one code column) for a category.
    low, high : the permitted range of a number (numeric, integer).
    step : the data's precision for a number (values are multiples of it); 0: any value.
    scale : one training standard deviation of a number: the unit of distance.
    categories : display names of the choices (switch, categorical).
    codes : per choice, the values of ``columns`` ``(n_choices, len(columns))``.
    """

    name: str
    kind: str
    columns: tuple[int, ...]
    low: float = -math.inf
    high: float = math.inf
    step: float = 0.0
    scale: float = 1.0
    categories: tuple[str, ...] = ()
    codes: tuple[tuple[float, ...], ...] = ()

    @property
    def enumerated(self) -> bool:
        return self.kind in ("switch", "categorical")

    def choice(self, x: np.ndarray) -> int:
        """The choice of a switch or categorical input in the row ``x``: the nearest code."""
        codes = np.asarray(self.codes, dtype=np.float64)
        return int(np.argmin(np.abs(codes - x[list(self.columns)]).sum(axis=1)))

    def value(self, x: np.ndarray) -> float | str:
        """The input's value in the row ``x``: a number, or a category's name."""
        return self.categories[self.choice(x)] if self.enumerated else float(x[self.columns[0]])


@dataclass(frozen=True)
class Change:
    """One input changed by an option: ``name`` goes ``before -> after``."""

    input: int  # index into the rules
    name: str
    before: float | str
    after: float | str


@dataclass
class Counterfactual:
    """An option: the model's raw row ``point`` ``(d,)``, the class it gets, and what changed."""

    point: np.ndarray
    from_class: int
    to_class: int
    distance: float
    changes: list[Change] = field(default_factory=list)

    def signature(self) -> frozenset:
        """What the option does, for telling options apart: per changed input its direction or category."""
        return frozenset((c.input, c.after if isinstance(c.after, str) else np.sign(c.after - c.before))
                         for c in self.changes)


def check_rules(rules: Sequence[InputRule], n_columns: int) -> None:
    """``ValueError`` unless the rules are well formed and each model column belongs to at most one rule."""
    seen: set[int] = set()
    for rule in rules:
        if rule.kind not in KINDS:
            raise ValueError(f"Input {rule.name!r} has kind {rule.kind!r}; the kinds are {', '.join(KINDS)}.")
        bad = [c for c in rule.columns if not 0 <= c < n_columns or c in seen]
        if not rule.columns or bad:
            raise ValueError(f"Input {rule.name!r} names columns {list(rule.columns)}: each must be one of the "
                             f"model's {n_columns} columns, used by no other input.")
        seen.update(rule.columns)
        if rule.enumerated:
            codes = np.asarray(rule.codes, dtype=np.float64)
            if codes.ndim != 2 or codes.shape != (len(rule.categories), len(rule.columns)) or len(codes) < 1:
                raise ValueError(f"Input {rule.name!r} needs one code of {len(rule.columns)} value(s) per category.")
        elif len(rule.columns) != 1 or not rule.low <= rule.high or not rule.scale > 0:
            raise ValueError(f"Input {rule.name!r} is a number: one column, low <= high and a positive scale.")


def counterfactuals(model: Model, x, rules: Sequence[InputRule], *, locked: Collection[int] = (),
                    n_options: int = 3, max_changes: int = 3, beam: int = 6, steps: int = 60) -> list[Counterfactual]:
    """Up to ``n_options`` different options that flip the predicted class at the raw row ``x`` ``(d,)``.

    ``rules`` (one per input, see :class:`InputRule`) say what each input may
    take; inputs in ``locked`` (indices into ``rules``) never change, nor do
    model columns no rule names. Options change at most ``max_changes``
    inputs; sets of two or more are drawn from the ``beam`` inputs that move
    the decision most on their own. Sorted fewest changes first, then
    nearest. An empty list when nothing within the rules flips the decision.
    """
    if model.net.output == "linear":
        raise ValueError("A counterfactual needs a classifier; this model does regression.")
    x = np.asarray(model.preprocessing.raw_matrix(x), dtype=np.float64)
    if x.shape[0] != 1 or not np.isfinite(x).all():
        raise ValueError("A counterfactual starts from one complete row (no missing values).")
    x = x[0]
    check_rules(rules, x.size)
    start = int(model.predict_index(x[None])[0])
    free = [i for i, r in enumerate(rules) if i not in set(locked)
            and (len(r.codes) > 1 if r.enumerated else r.high > r.low)]
    search = _Search(model, x, list(rules), start, steps)
    found: list[Counterfactual] = []
    flipping_sets: list[frozenset] = []
    ranked = search.rank(free)
    for k in range(1, max_changes + 1):
        pool = free if k == 1 else ranked[:beam]
        sets = [frozenset(s) for s in itertools.combinations(pool, k)]
        sets = [s for s in sets if not any(f <= s for f in flipping_sets)]  # a smaller set already flips
        for option in search.run(sets, many=k > 1):
            flipping_sets.append(frozenset(c.input for c in option.changes))
            found.append(option)
        if len(_diverse(found, n_options)) >= n_options:
            break
    return _diverse(found, n_options)


def _diverse(options: list[Counterfactual], n: int) -> list[Counterfactual]:
    """Fewest changes first, then nearest; an option doing what a kept one does is skipped."""
    kept: list[Counterfactual] = []
    for option in sorted(options, key=lambda o: (len(o.changes), o.distance)):
        if option.changes and all(option.signature() != k.signature() for k in kept):
            kept.append(option)
        if len(kept) == n:
            break
    return kept


class _Search:
    """The search's fixed parts: the model, the start row and class, and per column its range and scale."""

    def __init__(self, model: Model, x: np.ndarray, rules: list[InputRule], start: int, steps: int):
        self.model, self.x, self.rules, self.start, self.steps = model, x, rules, start, steps
        d = x.size
        self.lo, self.hi, self.scale = np.full(d, -np.inf), np.full(d, np.inf), np.ones(d)
        for r in rules:
            if not r.enumerated:
                c = r.columns[0]
                self.lo[c], self.hi[c], self.scale[c] = r.low, r.high, r.scale

    # ------------------------------------------------------------ the margin
    def margin(self, X: np.ndarray) -> np.ndarray:
        """``(n,)``, positive where the class has flipped: the best other class's probability minus the start's."""
        p = np.asarray(self.model.predict_proba(X), dtype=np.float64)
        if p.ndim == 1:
            return (p - 0.5) * (1.0 if self.start == 0 else -1.0) * 2
        others = np.delete(p, self.start, axis=1)
        return others.max(axis=1) - p[:, self.start]

    def margin_gradient(self, X: np.ndarray) -> np.ndarray:
        """``d margin / d x`` per raw column ``(n, d)`` (the runner-up class at each row, for multi-class)."""
        g = self.model.input_gradient(X)
        if g.ndim == 2:
            return g * (2.0 if self.start == 0 else -2.0)
        p = self.model.predict_proba(X)
        masked = p.copy()
        masked[:, self.start] = -np.inf
        runner = masked.argmax(axis=1)
        rows = np.arange(len(X))
        return g[rows, runner] - g[rows, self.start]

    def flipped(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(self.model.predict_index(X)) != self.start

    # ------------------------------------------------------------ candidates
    def rank(self, free: list[int]) -> list[int]:
        """Inputs ordered by how much they move the margin alone (gradient x one std, or the best category)."""
        base = self.margin(self.x[None])[0]
        grad = self.margin_gradient(self.x[None])[0]
        gain = {}
        for i in free:
            rule = self.rules[i]
            if rule.enumerated:
                gain[i] = float(self.margin(self._choices(self.x[None], i, range(len(rule.codes)))).max() - base)
            else:
                c = rule.columns[0]
                gain[i] = abs(float(grad[c] * self.scale[c]))
        return sorted(free, key=lambda i: -gain[i])

    def _choices(self, X: np.ndarray, i: int, choices) -> np.ndarray:
        """Each row of ``X`` with input ``i`` set to each of ``choices`` in turn ``(len(X) * n, d)``."""
        rule = self.rules[i]
        codes = np.asarray(rule.codes, dtype=np.float64)[list(choices)]
        out = np.repeat(X, len(codes), axis=0)
        out[:, list(rule.columns)] = np.tile(codes, (len(X), 1))
        return out

    def starts(self, s: frozenset, many: bool) -> np.ndarray:
        """Start rows for the set ``s``: every combination of other categories of its enumerated inputs."""
        X = self.x[None].copy()
        for i in sorted(s):
            rule = self.rules[i]
            if not rule.enumerated:
                continue
            others = [c for c in range(len(rule.codes)) if c != rule.choice(self.x)]
            if many and len(others) > MAX_CATEGORIES_IN_COMBINATION:
                trial = self.margin(self._choices(self.x[None], i, others))
                others = [others[j] for j in np.argsort(-trial)[:MAX_CATEGORIES_IN_COMBINATION]]
            X = self._choices(X, i, others)
        return X

    def run(self, sets: list[frozenset], many: bool) -> list[Counterfactual]:
        """The options found for each set of inputs: walked, bisected, rounded, pulled back, verified."""
        if not sets:
            return []
        starts, masks, owners = [], [], []
        for s in sets:
            rows = self.starts(s, many)
            mask = np.zeros(self.x.size)
            for i in s:
                if not self.rules[i].enumerated:
                    mask[self.rules[i].columns[0]] = 1.0
            starts.append(rows)
            masks.append(np.repeat(mask[None], len(rows), axis=0))
            owners += [s] * len(rows)
        ends = self._walk(np.concatenate(starts), np.concatenate(masks))
        options = []
        for end, s in zip(ends, owners):
            if np.isfinite(end).all():
                option = self._finish(end, s)
                if option is not None and len(option.changes) == len(s):
                    options.append(option)
        return options

    # ------------------------------------------------------------ the walk
    def _walk(self, X: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """From each row, along the margin gradient over the masked columns to just across the boundary.

        Steps are ``2 / steps`` of the masked range's length in standardized
        units. Rows that never flip (or get stuck at their range's edge)
        come back as NaN.
        """
        found = np.full_like(X, np.nan)
        done = self.flipped(X)
        found[done] = X[done]
        span = np.where(mask > 0, (np.minimum(self.hi, 1e300) - np.maximum(self.lo, -1e300)) / self.scale, 0.0)
        step = np.linalg.norm(span, axis=1) * 2.0 / self.steps
        current = np.clip(X, np.where(mask > 0, self.lo, -np.inf), np.where(mask > 0, self.hi, np.inf))
        for _ in range(self.steps):
            active = np.flatnonzero(~done & (step > 0))
            if active.size == 0:
                break
            cur = current[active]
            direction = self.margin_gradient(cur) * self.scale * mask[active]  # d margin / d z
            norm = np.linalg.norm(direction, axis=1)
            ok = np.isfinite(norm) & (norm > 0)
            nxt = np.clip(cur + step[active, None] * np.divide(direction, norm[:, None], out=np.zeros_like(cur),
                                                               where=ok[:, None]) * self.scale, self.lo, self.hi)
            nxt = np.where(mask[active] > 0, nxt, cur)
            stuck = ~ok | np.all(np.isclose(nxt, cur, rtol=0, atol=1e-12), axis=1)
            over = self.flipped(nxt) & ~stuck
            if over.any():
                found[active[over]] = self._bisect(cur[over], nxt[over])
            done[active[over | stuck]] = True
            current[active] = nxt
        return found

    def _bisect(self, inside: np.ndarray, outside: np.ndarray, iters: int = 30) -> np.ndarray:
        """Rows just across the boundary between ``inside`` (start class) and ``outside`` (flipped)."""
        for _ in range(iters):
            mid = (inside + outside) / 2
            flip = self.flipped(mid)
            outside = np.where(flip[:, None], mid, outside)
            inside = np.where(flip[:, None], inside, mid)
        return outside

    # ------------------------------------------------------------ rounding and sparsity
    def _snap(self, i: int, value: float) -> float:
        """Input ``i``'s value rounded to its precision, away from the start (to the flipped side), in range."""
        rule = self.rules[i]
        unit = 1.0 if rule.kind == "integer" else rule.step
        if unit > 0:
            before = self.x[rule.columns[0]]
            q = value / unit
            q = math.ceil(q - 1e-9) if value > before else math.floor(q + 1e-9)
            value = _round_to(q * unit, unit)
        value = min(max(value, rule.low), rule.high)
        if unit > 0 and value not in (rule.low, rule.high):
            value = _round_to(value, unit)
        return value

    def _finish(self, end: np.ndarray, s: frozenset) -> Counterfactual | None:
        """Round the numbers in ``s``, drop the changes not needed, pull the rest back; None if it no longer flips."""
        point = end.copy()
        numbers = [i for i in s if not self.rules[i].enumerated]
        for i in numbers:
            c = self.rules[i].columns[0]
            point[c] = self._snap(i, point[c])
        for _ in range(4):  # rounding may land back on the start's side: one more unit outward
            if self.flipped(point[None])[0]:
                break
            for i in numbers:
                c = self.rules[i].columns[0]
                unit = 1.0 if self.rules[i].kind == "integer" else (self.rules[i].step or 0.01 * self.scale[c])
                point[c] = self._snap(i, point[c] + np.sign(point[c] - self.x[c]) * unit)
        else:
            return None
        for i in sorted(numbers, key=lambda i: -abs(point[self.rules[i].columns[0]] - self.x[self.rules[i].columns[0]])
                        / self.scale[self.rules[i].columns[0]]):
            point = self._pull_back(point, i)
        return self._option(point) if self.flipped(point[None])[0] else None

    def _pull_back(self, point: np.ndarray, i: int, iters: int = 20) -> np.ndarray:
        """Input ``i`` moved back toward its start value as far as the decision stays flipped."""
        c = self.rules[i].columns[0]
        before, after = self.x[c], point[c]
        back = point.copy()
        back[c] = before
        if self.flipped(back[None])[0]:
            return back  # the change is not needed
        lo, hi = 0.0, 1.0  # share of the change kept: lo does not flip, hi does
        for _ in range(iters):
            mid = (lo + hi) / 2
            back[c] = before + mid * (after - before)
            lo, hi = (lo, mid) if self.flipped(back[None])[0] else (mid, hi)
        back[c] = self._snap(i, before + hi * (after - before))
        return back if self.flipped(back[None])[0] else point

    def _option(self, point: np.ndarray) -> Counterfactual:
        changes, distance = [], 0.0
        for i, rule in enumerate(self.rules):
            before, after = rule.value(self.x), rule.value(point)
            if rule.enumerated and before != after:
                distance += 1.0
            elif not rule.enumerated and abs(after - before) > 1e-12 * max(1.0, abs(before)):
                distance += abs(after - before) / rule.scale
            else:
                continue
            changes.append(Change(i, rule.name, before, after))
        to_class = int(self.model.predict_index(point[None])[0])
        return Counterfactual(point, self.start, to_class, distance, changes)


def _round_to(value: float, unit: float) -> float:
    """``value`` to the decimals of ``unit`` (so 0.1 * 3 prints as 0.3); unchanged for a unit that is no size."""
    if not (unit > 0 and math.isfinite(unit)):
        return value
    digits = max(0, -math.floor(math.log10(unit))) + 2
    return round(value, digits)
