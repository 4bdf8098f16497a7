"""KPI definitions as data (R-KPI-2): name, written definition, version, unit, compute function.

Plugins declare indicators through the ``register_kpis(register)`` hook::

    @hookimpl
    def register_kpis(register):
        register("orders_on_time", title="Orders processed on time", title_zh="订单及时处理率",
                 definition="Orders … ÷ …", version=1, unit="ratio", compute=my_fn, order=300)

``compute(q)`` receives a :class:`~asx.kpi.compute.Query` and returns ``{group: {column: value}}``
(a plain value instead of the inner dict means ``{name: value}``). An indicator has one column
(its name) unless it declares ``columns``; ``columns=None`` with ``dynamic=True`` lets the columns
come from the values (SLA attainment has one column per target). Registering a name twice
replaces the earlier definition (a store plugin may redefine a built-in indicator; its
version then tells the export which definition was used).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

UNITS = ("count", "minutes", "ratio", "yuan", "score")


@dataclass
class Indicator:
    name: str
    title: str
    definition: str
    version: int
    unit: str
    compute: Callable[[Any], dict]
    title_zh: str | None = None
    columns: tuple[str, ...] | None = None
    dynamic: bool = False
    units: dict[str, str] = field(default_factory=dict)   # unit of a column when not ``unit``
    order: int = 100
    sources: tuple[str, ...] = ()
    groups: tuple[str, ...] = ("agent", "team", "store", "category", "day")
    plugin: str | None = None

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"KPI {self.name}: unit {self.unit!r} is not one of {', '.join(UNITS)}")
        if self.columns is None and not self.dynamic:
            self.columns = (self.name,)

    def unit_of(self, column: str) -> str:
        return self.units.get(column, self.unit)

    @property
    def ref(self) -> str:
        return f"{self.name}@v{self.version}"


def _adder(acc: dict[str, Indicator]) -> Callable[..., None]:
    def register(name: str | Indicator, **kw: Any) -> None:
        ind = name if isinstance(name, Indicator) else Indicator(name=name, **kw)
        if isinstance(ind.columns, list):
            ind.columns = tuple(ind.columns)
        acc[ind.name] = ind

    return register


def indicators(plugins) -> list[Indicator]:
    """Every indicator registered with ``plugins`` (``app.plugins``), in display order."""

    def build() -> list[Indicator]:
        acc: dict[str, Indicator] = {}
        register = _adder(acc)
        for a, kw in plugins.kpis():
            register(*a, **kw)
        return sorted(acc.values(), key=lambda i: (i.order, i.name))

    return plugins.memo("kpis", build)


def get(plugins, name: str) -> Indicator:
    from asx.core.errors import UserError

    for ind in indicators(plugins):
        if ind.name == name:
            return ind
    raise UserError(f"no KPI named {name!r} (see `asx kpi list`)")
