"""Generic CSV/XLSX statements described by a column mapping.

For banks, marketplaces or payment services without a built-in reader: the
user (asx.toml) or a store plugin maps canonical fields to header names::

    GenericCsvReader("mybank", {"time": "记账日期", "amount": "发生额",
                                "txn_id": "流水号", "note": "摘要"})

Amounts come either from one ``amount`` column (sign = direction unless a
``direction`` column is mapped) or from ``amount_in``/``amount_out`` columns.
"""

from __future__ import annotations

from collections.abc import Mapping

from asx.core.errors import UserError
from asx.money.statements.base import DIRECTIONS, RowError, TableReader
from asx.money.statements.model import Direction

#: Canonical fields a mapping may name.
FIELDS = ("txn_id", "biz_id", "merchant_order_no", "order_no", "time", "counterparty",
          "counterparty_account", "item", "amount", "amount_in", "amount_out", "direction",
          "channel", "biz_type", "status", "note", "balance")


class GenericCsvReader(TableReader):
    """A statement whose header holds the mapped column names."""

    formats = ("csv", "xlsx")

    def __init__(self, name: str, mapping: Mapping[str, str], *, title: str = "",
                 anchor: str = "", directions: Mapping[str, str] | None = None,
                 txn_id_required: bool = True) -> None:
        unknown = sorted(set(mapping) - set(FIELDS))
        if unknown:
            raise UserError(f"statement layout {name}: unknown field(s) {', '.join(unknown)}; "
                            f"known: {', '.join(FIELDS)}")
        if "time" not in mapping:
            raise UserError(f"statement layout {name}: the mapping needs a 'time' column")
        if "amount" not in mapping and not {"amount_in", "amount_out"} <= set(mapping):
            raise UserError(f"statement layout {name}: the mapping needs 'amount' "
                            "or both 'amount_in' and 'amount_out'")
        if txn_id_required and "txn_id" not in mapping:
            raise UserError(f"statement layout {name}: the mapping needs a 'txn_id' column")
        self.name = name
        self.title = title or f"CSV layout {name}"
        self.anchor = anchor
        self.columns = {k: (v,) for k, v in mapping.items()}
        self.required = tuple(mapping)
        self.txn_id_required = txn_id_required
        table = dict(DIRECTIONS)
        for value, direction in (directions or {}).items():
            if direction not in ("out", "in", "none"):
                raise UserError(f"statement layout {name}: direction for {value!r} must be "
                                "out, in or none")
            table[value] = direction  # type: ignore[assignment]
        self.directions: dict[str, Direction] = table  # type: ignore[assignment]

    @classmethod
    def from_config(cls, name: str, config: Mapping[str, object]) -> GenericCsvReader:
        """Build from a config table: ``columns = {field = header}``, optional
        ``directions``, ``title``, ``anchor``, ``txn_id_required``."""
        columns = config.get("columns")
        if not isinstance(columns, Mapping):
            raise UserError(f"statement layout {name}: 'columns' must be a table field = header")
        directions = config.get("directions")
        return cls(name, {str(k): str(v) for k, v in columns.items()},
                   title=str(config.get("title", "")), anchor=str(config.get("anchor", "")),
                   directions={str(k): str(v) for k, v in directions.items()}
                   if isinstance(directions, Mapping) else None,
                   txn_id_required=bool(config.get("txn_id_required", True)))

    def direction_of(self, rec: dict[str, str], shown: dict[str, str]) -> Direction:
        value = rec["direction"]
        try:
            return self.directions[value]
        except KeyError:
            raise RowError(f"unknown {shown['direction']} value {value[:20]!r}") from None
